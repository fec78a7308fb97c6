-- When zk last called a Kaltura create for this file (media.add for a media file, the asset add for a
-- caption or chat) whose id it has not saved yet. Set before the call, cleared once the id is saved.
-- After a crash, an empty referenceId (or label) lookup does not prove the create never happened: the
-- search index lags media.add, so zk waits out kaltura.indexLag from this moment and looks again.
ALTER TABLE files ADD COLUMN create_started_at INTEGER;

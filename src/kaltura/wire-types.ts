/** The response fields zk reads (Kaltura sends more; enums may arrive as strings). */
export interface WireEntry {
  id: string;
  name?: string;
  status: number | string;
  referenceId?: string;
  parentEntryId?: string;
  userId?: string;
  mediaType?: number | string;
  createdAt?: number;
  msDuration?: number | string;
}

export interface WireList<T> {
  objects?: T[];
  totalCount: number;
}

export interface WireUploadToken {
  id: string;
  status: number | string;
  uploadedFileSize?: number | string;
}

export interface WireUser {
  id: string;
  email?: string;
  externalId?: string;
  status: number | string;
}

export interface WireCategory {
  id: number | string;
  name: string;
  fullName: string;
}

export interface WireFlavorAsset {
  id: string;
  isOriginal?: boolean;
  flavorParamsId?: number | string;
  /** Kilobytes. */
  size?: number | string;
  /** Exact bytes (newer servers). */
  sizeInBytes?: number | string;
  status?: number | string;
  description?: string;
}

export interface WireAsset {
  id: string;
  label?: string;
  filename?: string;
  status?: number | string;
  /** KB. */
  size?: number | string;
  sizeInBytes?: number | string;
}

/** Data a sandbox can start with (see src/sandbox/seed/kaltura-demo.ts). */
export interface KalturaSeedUser {
  id: string;
  email?: string;
  externalId?: string;
  firstName?: string;
  lastName?: string;
  /** 1 active (default), 0 blocked. */
  status?: number;
  isAdmin?: boolean;
}

export interface KalturaSeedGroup {
  /** Group user id (what groupuser.list returns as groupId). */
  id: string;
  members: string[];
}

export interface KalturaSeed {
  partnerId: number;
  users?: KalturaSeedUser[];
  groups?: KalturaSeedGroup[];
  /** Full names ('A>B>C'); missing ancestors are created. `id` pins the id of the last level. */
  categories?: Array<{ fullName: string; id?: number }>;
}

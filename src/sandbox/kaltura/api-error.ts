/**
 * Kaltura API exceptions as the real server defines them
 * (KalturaErrors.php: `CODE;ARG1,ARG2;template with @ARG1@`).
 */

const CATALOGUE: Record<string, [string[], string]> = {
  INTERNAL_SERVERL_ERROR: [[], 'Internal server error occurred'],
  MISSING_KS: [[], 'Missing KS, session not established'],
  INVALID_KS: [['KSID', 'ERR_CODE', 'ERR_DESC'], 'Invalid KS "@KSID@", Error "@ERR_CODE@,@ERR_DESC@"'],
  SERVICE_FORBIDDEN: [['SERVICE'], 'The access to service [@SERVICE@] is forbidden'],
  ACTION_BLOCKED: [['ACTION_NAME', 'SERVICE_NAME'], 'Action "@ACTION_NAME@" in service "@SERVICE_NAME@" is blocked'],
  SERVICE_DOES_NOT_EXISTS: [['SERVICE_NAME'], 'Service "@SERVICE_NAME@" does not exists'],
  ACTION_DOES_NOT_EXISTS: [['ACTION_NAME', 'SERVICE_NAME'], 'Action "@ACTION_NAME@" does not exists for service "@SERVICE_NAME@"'],
  MISSING_MANDATORY_PARAMETER: [['PARAM_NAME'], 'Missing parameter "@PARAM_NAME@"'],
  INVALID_ENUM_VALUE: [
    ['ENUM_VAL', 'PARAM_NAME', 'ENUM_TYPE'],
    'Invalid enumeration value "@ENUM_VAL@" for parameter "@PARAM_NAME@", expecting enumeration type "@ENUM_TYPE@"',
  ],
  OBJECT_TYPE_ABSTRACT: [['OBJ_TYPE'], 'The object type "@OBJ_TYPE@" is abstract, use one of the object implementations'],
  PROPERTY_VALIDATION_CANNOT_BE_NULL: [['PROP_NAME'], 'The property "@PROP_NAME@" cannot be null'],
  PROPERTY_VALIDATION_NOT_UPDATABLE: [['PROP_NAME'], 'The property "@PROP_NAME@" cannot be updated'],
  PROPERTY_VALIDATION_MIN_LENGTH: [['PROP_NAME', 'MIN_LEN'], 'The property "@PROP_NAME@" must have a min length of @MIN_LEN@ characters'],
  INVALID_FIELD_VALUE: [['FIELD_NAME'], 'Invalid field value "@FIELD_NAME@"'],
  ENTRY_ID_NOT_FOUND: [['ENTRY_ID'], 'Entry id "@ENTRY_ID@" not found'],
  INVALID_ENTRY_ID: [['ID'], 'Invalid entry id ["@ID@"]'],
  ENTRY_ALREADY_WITH_CONTENT: [[], 'Entry already associated with content'],
  RESOURCE_TYPE_NOT_SUPPORTED: [['RES_TYPE'], 'Resource type [@RES_TYPE@] is not supported'],
  UPLOAD_TOKEN_NOT_FOUND: [[], 'Upload token not found'],
  UPLOAD_TOKEN_INVALID_STATUS_FOR_UPLOAD: [[], 'Upload token is in an invalid status for uploading a file, maybe the file was already uploaded'],
  UPLOAD_TOKEN_INVALID_STATUS_FOR_ADD_ENTRY: [[], 'Upload token is in an invalid status for adding entry, maybe the file was not uploaded or the token was used'],
  UPLOAD_TOKEN_CANNOT_RESUME: [[], 'Cannot resume the upload, original file was not found'],
  UPLOAD_TOKEN_CANNOT_MATCH_EXPECTED_SIZE: [[], 'Cannot match expected file size'],
  UPLOADED_FILE_NOT_FOUND_BY_TOKEN: [[], 'The uploaded file was not found by the given token id, or was already used'],
  UPLOAD_ERROR: [[], 'Upload failed'],
  INVALID_USER_ID: [[], 'Invalid user id'],
  USER_NOT_FOUND: [[], 'User was not found'],
  DUPLICATE_USER_BY_ID: [['UID'], 'User with id [@UID@] already exists in system'],
  GROUP_NOT_FOUND: [[], 'Group was not found'],
  GROUP_USER_ALREADY_EXISTS: [[], 'GroupUser already exists'],
  CATEGORY_NOT_FOUND: [['ID'], 'Category id "@ID@" not found'],
  PARENT_CATEGORY_NOT_FOUND: [['CATEGORY_ID'], 'Parent category id "@CATEGORY_ID@" not found'],
  DUPLICATE_CATEGORY: [['NAME'], 'The category "@NAME@" already exists'],
  CATEGORY_ENTRY_ALREADY_EXISTS: [[], 'Entry already assigned to this category'],
  ENTRY_IS_NOT_ASSIGNED_TO_CATEGORY: [[], 'Entry is not assigned to this category'],
  MAX_CATEGORIES_FOR_ENTRY_REACHED: [['MAX_CATEGORIES_PER_ENTRY'], 'Entry can be assigned to a maximum of @MAX_CATEGORIES_PER_ENTRY@ categories'],
  MUST_FILTER_ON_ENTRY_OR_CATEGORY: [[], 'Must filter on entry id or category id'],
  CAPTION_ASSET_ID_NOT_FOUND: [['ASSET_ID'], 'Caption asset id "@ASSET_ID@" not found'],
  ATTACHMENT_ASSET_ID_NOT_FOUND: [['ASSET_ID'], 'Attachment asset id "@ASSET_ID@" not found'],
  PARENT_ENTRY_ID_NOT_FOUND: [['ID'], 'Parent entry id "@ID@" not found'],
  CYCLE_IN_PARENTAGE: [[], 'Cycle in parentage'],
  ASSIGNING_INFO_TO_ENTRY_WITH_PARENT_IS_FORBIDDEN: [['ID'], 'Assigning info to entry with parent entry is forbidden, entry id [@ID@]'],
  START_SESSION_ERROR: [['PID'], 'Error while starting session for partner [@PID@]'],
  CANNOT_RETRIEVE_ANOTHER_USER_USING_NON_ADMIN_SESSION: [['USER_ID'], 'Cannot retrieve another user [@USER_ID@] using non admin session'],
};

/** Thrown by service handlers; serialized as a KalturaAPIException body with HTTP 200. */
export class KalturaApiError extends Error {
  readonly code: string;
  /** Named args; `[]` on the wire when the template has none (PHP empty array). */
  readonly args: Record<string, string>;

  constructor(code: string, ...values: Array<string | number>) {
    const def = CATALOGUE[code];
    if (!def) throw new Error(`sandbox bug: unknown Kaltura error code ${code}`);
    const [names, template] = def;
    const args: Record<string, string> = {};
    names.forEach((n, i) => (args[n] = String(values[i] ?? '')));
    let message = template;
    for (const [n, v] of Object.entries(args)) message = message.split(`@${n}@`).join(v);
    super(message);
    this.code = code;
    this.args = args;
  }

  toWire(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      objectType: 'KalturaAPIException',
      args: Object.keys(this.args).length === 0 ? [] : this.args,
    };
  }
}

export function apiError(code: string, ...values: Array<string | number>): KalturaApiError {
  return new KalturaApiError(code, ...values);
}

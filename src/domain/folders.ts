/** Folders need no creating: any 1-50 characters of [a-z0-9-] name one (docs/decisions.md point 4). */
import { InvalidArgumentError } from './errors.js';

const FOLDER_ID = /^[a-z0-9-]{1,50}$/;

export function checkFolderId(folderId: string, field: string): void {
  if (!FOLDER_ID.test(folderId)) {
    throw InvalidArgumentError.field(field, 'Value must match the pattern [a-z0-9-]{1,50}');
  }
}

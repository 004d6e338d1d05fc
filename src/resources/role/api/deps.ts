/** What the RoleService handlers need: the role catalogue is static, only List pages. */
import type { Pager } from '../../../domain/listing/pager.js';

export interface Deps {
  readonly pager: Pager;
}

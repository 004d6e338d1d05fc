/**
 * The main errors of DesktopService and DesktopGroupService over REST, for routes.test.ts (the
 * pattern is route-errors.ts): unknown ids, wrong states, fields outside the group, callers
 * without the role.
 *
 *   [`${DS}/Get`]: () => [notFound({ desktopId: NO_DESKTOP }, `Desktop ${NO_DESKTOP} not found`)]
 */
import type { Fixtures } from './route-cases.js';
import { denied, invalid, notFound, anonymous, type ExpectedError } from './route-errors.js';

const DS = '/yandex.cloud.clouddesktop.v1.api.DesktopService';
const DG = '/yandex.cloud.clouddesktop.v1.api.DesktopGroupService';
const NO_DESKTOP = 'e3vnodesktop00000000';
const NO_GROUP = 'e3vnogroup0000000000';
const stopped = (fx: Fixtures): ExpectedError => ({ request: { desktopId: fx.stoppedDesktop.id }, status: 400, code: 9, message: new RegExp(`^Desktop ${fx.stoppedDesktop.id} is STOPPED$`) });
const active = (fx: Fixtures): ExpectedError => ({ request: { desktopId: fx.desktop.id }, status: 400, code: 9, message: new RegExp(`^Desktop ${fx.desktop.id} is ACTIVE$`) });
const user = (fx: Fixtures) => ({ subjectId: fx.serviceAccount.id, subjectType: 'serviceAccount' });

export const desktopErrors: Record<string, (fx: Fixtures) => ExpectedError[]> = {
  [`${DS}/Get`]: (fx) => [
    notFound({ desktopId: NO_DESKTOP }, `Desktop ${NO_DESKTOP} not found`),
    invalid({ desktopId: 'd'.repeat(51) }, 'desktop_id', /Length must be less than or equal to 50/),
    denied({ desktopId: fx.desktop.id }, fx.outsider, `desktop ${fx.desktop.id}`),
  ],
  [`${DS}/GetRdpFile`]: (fx) => [
    notFound({ desktopId: NO_DESKTOP }, `Desktop ${NO_DESKTOP} not found`),
    { ...stopped(fx) },
    anonymous({ desktopId: fx.desktop.id }),
    denied({ desktopId: fx.desktop.id }, fx.viewer, `desktop ${fx.desktop.id}`),
  ],
  [`${DS}/List`]: (fx) => [
    invalid({}, 'folder_id', /Field is required/),
    invalid({ folderId: fx.folder, orderBy: 'size' }, 'order_by', /.+/),
    denied({ folderId: fx.folder }, fx.outsider, `folder ${fx.folder}`),
  ],
  [`${DS}/ListOperations`]: () => [notFound({ desktopId: NO_DESKTOP }, `Desktop ${NO_DESKTOP} not found`)],
  [`${DS}/Create`]: (fx) => [
    invalid({ users: [user(fx)] }, 'desktop_group_id', /Field is required/),
    notFound({ desktopGroupId: NO_GROUP, users: [user(fx)] }, `Desktop group ${NO_GROUP} not found`),
    invalid({ desktopGroupId: fx.desktopGroup.id, subnetId: 'nosuchsubnet', users: [user(fx)] }, 'subnet_id', /Subnet nosuchsubnet is not one of the subnets/),
    invalid({ desktopGroupId: fx.memberGroup.id, users: [user(fx)] }, 'users[0].subject_id', /Subject \S+ is not a member of desktop group/),
    denied({ desktopGroupId: fx.desktopGroup.id, users: [user(fx)] }, fx.viewer, `desktop group ${fx.desktopGroup.id}`),
  ],
  [`${DS}/ResetPassword`]: (fx) => [
    notFound({ desktopId: NO_DESKTOP, user: user(fx) }, `Desktop ${NO_DESKTOP} not found`),
    { ...stopped(fx), request: { desktopId: fx.stoppedDesktop.id, user: user(fx) } },
    invalid({ desktopId: fx.desktop.id, user: { subjectId: 'someone-else', subjectType: 'userAccount' } }, 'user.subject_id', /Subject someone-else is not a user of desktop/),
  ],
  [`${DS}/Restart`]: (fx) => [notFound({ desktopId: NO_DESKTOP }, `Desktop ${NO_DESKTOP} not found`), stopped(fx)],
  [`${DS}/Start`]: (fx) => [notFound({ desktopId: NO_DESKTOP }, `Desktop ${NO_DESKTOP} not found`), active(fx)],
  [`${DS}/Stop`]: (fx) => [
    notFound({ desktopId: NO_DESKTOP }, `Desktop ${NO_DESKTOP} not found`),
    stopped(fx),
    denied({ desktopId: fx.desktop.id }, fx.viewer, `desktop ${fx.desktop.id}`),
  ],
  [`${DS}/Update`]: () => [notFound({ desktopId: NO_DESKTOP }, `Desktop ${NO_DESKTOP} not found`)],
  [`${DS}/UpdateProperties`]: (fx) => [
    notFound({ desktopId: NO_DESKTOP, updateMask: 'name', name: 'xx' }, `Desktop ${NO_DESKTOP} not found`),
    invalid({ desktopId: fx.desktop.id, updateMask: 'status' }, 'update_mask', /Unknown field "status"/),
  ],
  [`${DS}/Delete`]: (fx) => [
    notFound({ desktopId: NO_DESKTOP }, `Desktop ${NO_DESKTOP} not found`),
    denied({ desktopId: fx.desktop.id }, fx.viewer, `desktop ${fx.desktop.id}`),
  ],
  [`${DG}/Get`]: (fx) => [
    notFound({ desktopGroupId: NO_GROUP }, `Desktop group ${NO_GROUP} not found`),
    denied({ desktopGroupId: fx.desktopGroup.id }, fx.outsider, `desktop group ${fx.desktopGroup.id}`),
  ],
  [`${DG}/List`]: (fx) => [
    invalid({}, 'folder_id', /Field is required/),
    invalid({ folderId: fx.folder, pageSize: '1001' }, 'page_size', /Value must be in range 0-1000/),
  ],
  [`${DG}/ListDesktops`]: () => [notFound({ desktopGroupId: NO_GROUP }, `Desktop group ${NO_GROUP} not found`)],
  [`${DG}/ListOperations`]: () => [notFound({ desktopGroupId: NO_GROUP }, `Desktop group ${NO_GROUP} not found`)],
  [`${DG}/Create`]: (fx) => [
    invalid({ desktopImageId: fx.desktopImage.id, name: 'gg' }, 'folder_id', /Field is required/),
    notFound({ folderId: fx.folder, desktopImageId: 'e3vnothere0000000000', name: 'gg' }, 'Desktop image e3vnothere0000000000 not found'),
    { request: { folderId: fx.folder, desktopImageId: fx.desktopImage.id, name: fx.desktopGroup.name }, status: 409, code: 6, message: /already exists/ },
    invalid({ folderId: fx.folder, desktopImageId: fx.desktopImage.id, name: 'g-small', bootDiskSpec: { type: 'SSD', size: '1024' } }, 'boot_disk_spec.size', /.+/),
    invalid({ folderId: fx.folder, desktopImageId: fx.desktopImage.id, name: 'g-cron', groupConfig: { lifetime: { cronStart: 'not a cron' } } },
      'group_config.lifetime.cron_start', /Invalid cron expression/),
    invalid({ folderId: fx.folder, desktopImageId: fx.desktopImage.id, name: 'g-tz', groupConfig: { lifetime: { cronStop: '0 19 * * *', timeZone: 'Mars/Olympus' } } },
      'group_config.lifetime.time_zone', /Unknown time zone/),
    denied({ folderId: fx.folder, desktopImageId: fx.desktopImage.id, name: 'g-denied' }, fx.viewer, `folder ${fx.folder}`),
  ],
  [`${DG}/Update`]: (fx) => [
    notFound({ desktopGroupId: NO_GROUP, updateMask: 'name', name: 'xx' }, `Desktop group ${NO_GROUP} not found`),
    invalid({ desktopGroupId: fx.desktopGroup.id, updateMask: 'status' }, 'update_mask', /Unknown field "status"/),
  ],
  [`${DG}/Delete`]: (fx) => [
    notFound({ desktopGroupId: NO_GROUP }, `Desktop group ${NO_GROUP} not found`),
    denied({ desktopGroupId: fx.desktopGroup.id }, fx.viewer, `desktop group ${fx.desktopGroup.id}`),
  ],
  [`${DG}/ListAccessBindings`]: (fx) => [
    notFound({ resourceId: NO_GROUP }, `Desktop group ${NO_GROUP} not found`),
    denied({ resourceId: fx.desktopGroup.id }, fx.outsider, `desktop group ${fx.desktopGroup.id}`),
  ],
  [`${DG}/SetAccessBindings`]: (fx) => [
    notFound({ resourceId: NO_GROUP, accessBindings: [] }, `Desktop group ${NO_GROUP} not found`),
    invalid({ resourceId: fx.desktopGroup.id, accessBindings: [{ roleId: 'viewer' }] }, 'access_bindings[0].subject', /Field is required/),
    denied({ resourceId: fx.desktopGroup.id, accessBindings: [] }, fx.viewer, `desktop group ${fx.desktopGroup.id}`),
  ],
  [`${DG}/UpdateAccessBindings`]: (fx) => [
    invalid({ resourceId: fx.desktopGroup.id, accessBindingDeltas: [] }, 'access_binding_deltas', /Size must be in range 1-1000/),
    notFound({
      resourceId: NO_GROUP,
      accessBindingDeltas: [{ action: 'ADD', accessBinding: { roleId: 'vdi.viewer', subject: { id: fx.serviceAccount.id, type: 'serviceAccount' } } }],
    }, `Desktop group ${NO_GROUP} not found`),
  ],
};

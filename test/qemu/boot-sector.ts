/**
 * Test disk images for the QEMU runtime, made by the tests themselves: a 512-byte boot sector
 * that BIOS boots (TCG is enough), which writes MARKER into sector MARKER_SECTOR of its own disk
 * through BIOS disk services (int 13h, AH=03h) and halts. The marker is stored inverted in the
 * sector, so the image's bytes do not contain it until the machine has run. `idleSector` only
 * halts: a desktop of it never writes.
 *
 *   writeFileSync(join(dir, 'marker.raw'), diskImage(markerSector()));
 */
export const MARKER = Buffer.from('CLOUDDESK-MARK01');
export const MARKER_SECTOR = 5;
const MARKER_AT = 0x80;

export function markerSector(): Buffer {
  const code = Buffer.concat([
    Buffer.from('FA31C08ED88EC08ED0BC007CFB', 'hex'), // cli; ds = es = ss = 0; sp = 0x7c00; sti
    Buffer.from('BF007EB9000131C0FCF3AB', 'hex'), // zero 512 bytes at 0x7e00
    Buffer.from([0xbe, (0x7c00 + MARKER_AT) & 0xff, (0x7c00 + MARKER_AT) >> 8]), // mov si, marker
    Buffer.from('BF007EB91000ACF6D0AAE2FA', 'hex'), // 16 × { lodsb; not al; stosb } into 0x7e00
    Buffer.from('BB007EB80103', 'hex'), // es:bx = 0x7e00; ah = 03h write, al = 1 sector
    Buffer.from([0xb9, MARKER_SECTOR + 1, 0x00, 0xb6, 0x00]), // cylinder 0, sector 6 (CHS is 1-based), head 0; dl = boot drive
    Buffer.from('CD13FAF4EBFD', 'hex'), // int 13h; cli; hlt forever
  ]);
  const sector = Buffer.alloc(512);
  code.copy(sector);
  for (let i = 0; i < MARKER.length; i++) sector[MARKER_AT + i] = ~MARKER[i]! & 0xff;
  sector[510] = 0x55;
  sector[511] = 0xaa;
  return sector;
}

export function idleSector(): Buffer {
  const sector = Buffer.alloc(512);
  Buffer.from('FAF4EBFD', 'hex').copy(sector); // cli; hlt forever
  sector[510] = 0x55;
  sector[511] = 0xaa;
  return sector;
}

/** A 1 MiB raw disk image starting with `sector`. */
export function diskImage(sector: Buffer): Buffer {
  const disk = Buffer.alloc(1024 * 1024);
  sector.copy(disk);
  return disk;
}

/**
 * Test disk images for the QEMU runtime, made by the tests themselves: a 512-byte boot sector
 * that BIOS boots (TCG is enough), which writes MARKER into sector MARKER_SECTOR of its own disk
 * through BIOS disk services (int 13h, AH=03h) and halts. The marker is stored inverted in the
 * sector, so the image's bytes do not contain it until the machine has run. `idleSector` only
 * halts: a desktop of it never writes, and ignores an ACPI power-down. `acpiSector` powers the
 * machine off when the power button is pressed (QMP `system_powerdown`), as a guest OS would.
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

/**
 * Finds the PIIX4 power-management I/O base that the BIOS set (PCI 00:01.3, register 0x40),
 * enables the power-button event (PM1_EN bit 8), polls PM1_STS until the button is pressed, then
 * requests soft-off (PM1_CNT: SLP_EN with SLP_TYP 0, which QEMU's PIIX4 treats as S5).
 */
export function acpiSector(): Buffer {
  const code = Buffer.concat([
    Buffer.from('FA31C08ED88ED0BC007C', 'hex'), // cli; ds = ss = 0; sp = 0x7c00
    Buffer.from('66B8400B0080BAF80C66EF', 'hex'), // mov eax, 0x80000b40; mov dx, 0xcf8; out dx, eax
    Buffer.from('BAFC0C66ED83E0C089C3', 'hex'), // mov dx, 0xcfc; in eax, dx; and ax, 0xffc0; mov bx, ax (PM base)
    Buffer.from('89DA83C202B80001EF', 'hex'), // PM1_EN (base + 2) = 0x0100: power button enabled
    Buffer.from('89DAEDA9000174F8', 'hex'), // poll: in ax, PM1_STS (base); test ax, 0x0100; jz poll
    Buffer.from('89DA83C204B80020EF', 'hex'), // PM1_CNT (base + 4) = 0x2000: SLP_EN, SLP_TYP 0 (soft-off)
    Buffer.from('FAF4EBFC', 'hex'), // cli; hlt; jmp back
  ]);
  const sector = Buffer.alloc(512);
  code.copy(sector);
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

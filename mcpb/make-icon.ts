// The bundle's icon (mcpb/icon.png, committed): 512×512, three quality bars (good, average,
// poor) on a dark rounded square, drawn pixel by pixel so no image tool is needed.
//   npx tsx mcpb/make-icon.ts
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const SIZE = 512;
type RGBA = [number, number, number, number];
const shapes: { x0: number; y0: number; x1: number; y1: number; r: number; color: RGBA }[] = [
  { x0: 16, y0: 16, x1: 496, y1: 496, r: 96, color: [0x1f, 0x2a, 0x44, 255] },
  { x0: 112, y0: 256, x1: 176, y1: 400, r: 16, color: [0x2e, 0xcc, 0x71, 255] },
  { x0: 224, y0: 176, x1: 288, y1: 400, r: 16, color: [0xf1, 0xc4, 0x0f, 255] },
  { x0: 336, y0: 112, x1: 400, y1: 400, r: 16, color: [0xe7, 0x4c, 0x3c, 255] },
];

function inside(x: number, y: number, s: (typeof shapes)[number]): boolean {
  if (x < s.x0 || x >= s.x1 || y < s.y0 || y >= s.y1) return false;
  const cx = Math.min(Math.max(x, s.x0 + s.r), s.x1 - s.r);
  const cy = Math.min(Math.max(y, s.y0 + s.r), s.y1 - s.r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= s.r ** 2;
}

const rows = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  const row = y * (SIZE * 4 + 1);
  rows[row] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    let pixel: RGBA = [0, 0, 0, 0];
    for (const shape of shapes) if (inside(x + 0.5, y + 0.5, shape)) pixel = shape.color;
    rows.set(pixel, row + 1 + x * 4);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (data: Buffer) => {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk("IHDR", header),
  chunk("IDAT", deflateSync(rows, { level: 9 })),
  chunk("IEND", Buffer.alloc(0)),
]);
writeFileSync(new URL("./icon.png", import.meta.url), png);
console.log(`mcpb/icon.png: ${png.length} bytes`);

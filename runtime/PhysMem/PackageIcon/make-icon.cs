// Draws the package icon, icon.png beside this file: 128x128 pixels, a grid of page frames as
// physical memory shows them, most present (blue), a hole where no memory is (pale), and one
// section's frames picked out (amber), the unit SPARSEMEM counts in.
// Run from the repository root with the .NET 10 SDK: dotnet run runtime/PhysMem/PackageIcon/make-icon.cs
// (an argument names another output file).
using System;
using System.IO;
using System.IO.Compression;

const int Size = 128;
const int Cells = 8;
const int Cell = Size / Cells;
const int Gap = 2;

var pixels = new byte[Size * Size * 4];
for (int row = 0; row < Cells; row++)
{
    for (int column = 0; column < Cells; column++)
    {
        int frame = (row * Cells) + column;

        // A hole between two ranges of memory, as between the low 3 GiB and the memory above 4 GiB.
        bool hole = frame is >= 26 and <= 33;
        bool section = row == 5;
        (byte r, byte g, byte b) = hole ? ((byte)0xDD, (byte)0xE3, (byte)0xEA) : section ? ((byte)0xF2, (byte)0xA9, (byte)0x00) : ((byte)0x1F, (byte)0x5F, (byte)0xA8);
        for (int y = (row * Cell) + (Gap / 2); y < ((row + 1) * Cell) - (Gap / 2); y++)
        {
            for (int x = (column * Cell) + (Gap / 2); x < ((column + 1) * Cell) - (Gap / 2); x++)
            {
                int at = ((y * Size) + x) * 4;
                pixels[at] = r;
                pixels[at + 1] = g;
                pixels[at + 2] = b;
                pixels[at + 3] = 0xFF;
            }
        }
    }
}

// PNG: signature, IHDR (8-bit RGBA), one IDAT of zlib-compressed rows each led by filter 0, IEND.
using var png = new MemoryStream();
png.Write(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A });
var header = new byte[13];
WriteBigEndian(header, 0, Size);
WriteBigEndian(header, 4, Size);
header[8] = 8;
header[9] = 6;
Chunk(png, "IHDR", header);
using (var raw = new MemoryStream())
{
    using (var zlib = new ZLibStream(raw, CompressionLevel.SmallestSize, leaveOpen: true))
    {
        for (int y = 0; y < Size; y++)
        {
            zlib.WriteByte(0);
            zlib.Write(pixels, y * Size * 4, Size * 4);
        }
    }

    Chunk(png, "IDAT", raw.ToArray());
}

Chunk(png, "IEND", Array.Empty<byte>());
string output = args.Length > 0 ? args[0] : Path.Combine("runtime", "PhysMem", "PackageIcon", "icon.png");
File.WriteAllBytes(output, png.ToArray());
Console.WriteLine($"{output}: {png.Length} bytes");

static void Chunk(Stream stream, string type, byte[] data)
{
    var length = new byte[4];
    WriteBigEndian(length, 0, data.Length);
    stream.Write(length);
    var typed = new byte[4 + data.Length];
    for (int i = 0; i < 4; i++)
    {
        typed[i] = (byte)type[i];
    }

    data.CopyTo(typed, 4);
    stream.Write(typed);
    var crc = new byte[4];
    WriteBigEndian(crc, 0, (int)Crc32(typed));
    stream.Write(crc);
}

static void WriteBigEndian(byte[] buffer, int offset, int value)
{
    buffer[offset] = (byte)(value >> 24);
    buffer[offset + 1] = (byte)(value >> 16);
    buffer[offset + 2] = (byte)(value >> 8);
    buffer[offset + 3] = (byte)value;
}

// The CRC-32 PNG requires (ISO 3309, polynomial 0xEDB88320 reflected), bit by bit: 3 chunks, no table needed.
static uint Crc32(byte[] data)
{
    uint crc = 0xFFFFFFFF;
    foreach (byte b in data)
    {
        crc ^= b;
        for (int k = 0; k < 8; k++)
        {
            crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
    }

    return ~crc;
}

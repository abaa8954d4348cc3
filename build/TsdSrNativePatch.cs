// The libLibTorchSharp.so compatibility patch, compiled twice: by MSBuild as an inline task (TsdSr.NativePatch.targets)
// and by the test project (TSDSR_ELF_TESTS), which checks the ELF logic on its own.
//
// Why: TorchSharp 0.107's shim declares a GLIBCXX_3.4.32 requirement (GCC 13's libstdc++) through a single symbol,
// _ZSt21ios_base_library_initv, that no relocation uses. On libstdc++ from GCC 12 (Debian 12, Ubuntu 22.04) the loader
// rejects the file. Marking that one version requirement weak (VER_FLG_WEAK) lets it load; nothing else changes.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace TsdSr.Build
{
    /// <summary>One version requirement (Elf64_Vernaux) of a shared object.</summary>
    public sealed class ElfVersionNeed
    {
        public ElfVersionNeed(string file, string version, ushort flags, long flagsOffset)
        {
            File = file;
            Version = version;
            Flags = flags;
            FlagsOffset = flagsOffset;
        }

        public string File { get; }
        public string Version { get; }
        public ushort Flags { get; }
        public long FlagsOffset { get; }
        public bool IsWeak => (Flags & ElfVersionPatcher.VerFlagWeak) != 0;
    }

    /// <summary>Minimal ELF64 little-endian reader for the GNU symbol-versioning sections.</summary>
    public static class ElfVersionPatcher
    {
        public const ushort VerFlagWeak = 0x2;
        private const uint ShtGnuVerdef = 0x6ffffffd;
        private const uint ShtGnuVerneed = 0x6ffffffe;

        /// <summary>The versions whose requirement may be weakened: only those known to be unused by relocations.</summary>
        public static readonly IReadOnlyList<string> SafeToWeaken = new[] { "GLIBCXX_3.4.32" };

        public static List<ElfVersionNeed> ReadVersionNeeds(byte[] elf)
        {
            var result = new List<ElfVersionNeed>();
            foreach (var (offset, size, link, count) in Sections(elf, ShtGnuVerneed))
            {
                var strtab = SectionRange(elf, link);
                long entry = offset;
                for (int i = 0; i < count; i++)
                {
                    Check(elf, entry, 16);
                    ushort cnt = U16(elf, entry + 2);
                    string file = CString(elf, strtab, U32(elf, entry + 4));
                    long aux = entry + U32(elf, entry + 8);
                    for (int j = 0; j < cnt; j++)
                    {
                        Check(elf, aux, 16);
                        result.Add(new ElfVersionNeed(file, CString(elf, strtab, U32(elf, aux + 8)), U16(elf, aux + 4), aux + 4));
                        uint nextAux = U32(elf, aux + 12);
                        if (nextAux == 0) break;
                        aux += nextAux;
                    }
                    uint next = U32(elf, entry + 12);
                    if (next == 0) break;
                    entry += next;
                }
            }
            return result;
        }

        public static HashSet<string> ReadVersionDefinitions(byte[] elf)
        {
            var result = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (offset, size, link, count) in Sections(elf, ShtGnuVerdef))
            {
                var strtab = SectionRange(elf, link);
                long entry = offset;
                for (int i = 0; i < count; i++)
                {
                    Check(elf, entry, 20);
                    ushort cnt = U16(elf, entry + 6);
                    long aux = entry + U32(elf, entry + 12);
                    if (cnt > 0)
                    {
                        Check(elf, aux, 8);
                        result.Add(CString(elf, strtab, U32(elf, aux)));
                    }
                    uint next = U32(elf, entry + 16);
                    if (next == 0) break;
                    entry += next;
                }
            }
            return result;
        }

        /// <summary>
        /// Marks weak every requirement on <paramref name="libraryFile"/> that the host library does not define and that
        /// is in <see cref="SafeToWeaken"/>. Returns the versions patched and, separately, missing ones it cannot fix.
        /// </summary>
        public static (List<string> Patched, List<string> Unfixable) WeakenMissing(
            byte[] elf, string libraryFile, ISet<string> hostVersions)
        {
            var patched = new List<string>();
            var unfixable = new List<string>();
            foreach (var need in ReadVersionNeeds(elf).Where(n => n.File == libraryFile))
            {
                if (hostVersions.Contains(need.Version) || need.IsWeak) continue;
                if (!SafeToWeaken.Contains(need.Version))
                {
                    unfixable.Add(need.Version);
                    continue;
                }
                ushort flags = (ushort)(need.Flags | VerFlagWeak);
                elf[need.FlagsOffset] = (byte)(flags & 0xff);
                elf[need.FlagsOffset + 1] = (byte)(flags >> 8);
                patched.Add(need.Version);
            }
            return (patched, unfixable);
        }

        /// <summary>The libstdc++ the current process loaded, else the usual system locations.</summary>
        public static string? FindHostLibStdCxx()
        {
            try
            {
                foreach (var line in File.ReadLines("/proc/self/maps"))
                {
                    int slash = line.IndexOf('/');
                    if (slash >= 0 && line.IndexOf("libstdc++.so", StringComparison.Ordinal) >= 0)
                    {
                        var path = line.Substring(slash).Trim();
                        if (File.Exists(path)) return path;
                    }
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }

            var dirs = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? string.Empty)
                .Split(new[] { ':' }, StringSplitOptions.RemoveEmptyEntries)
                .Concat(new[]
                {
                    "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu",
                    "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib",
                });
            return dirs.Select(d => Path.Combine(d, "libstdc++.so.6")).FirstOrDefault(File.Exists);
        }

        private static IEnumerable<(long Offset, long Size, uint Link, uint Info)> Sections(byte[] elf, uint type)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException("Not an ELF file.");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException("Only little-endian ELF64 files are supported.");
            long shoff = (long)U64(elf, 0x28);
            ushort shentsize = U16(elf, 0x3A);
            ushort shnum = U16(elf, 0x3C);
            for (int i = 0; i < shnum; i++)
            {
                long sh = shoff + (long)i * shentsize;
                Check(elf, sh, 64);
                if (U32(elf, sh + 4) != type) continue;
                long offset = (long)U64(elf, sh + 0x18);
                long size = (long)U64(elf, sh + 0x20);
                Check(elf, offset, size);
                yield return (offset, size, U32(elf, sh + 0x28), U32(elf, sh + 0x2C));
            }
        }

        private static (long Offset, long Size) SectionRange(byte[] elf, uint index)
        {
            long shoff = (long)U64(elf, 0x28);
            long sh = shoff + (long)index * U16(elf, 0x3A);
            Check(elf, sh, 64);
            long offset = (long)U64(elf, sh + 0x18);
            long size = (long)U64(elf, sh + 0x20);
            Check(elf, offset, size);
            return (offset, size);
        }

        private static string CString(byte[] elf, (long Offset, long Size) table, uint index)
        {
            if (index >= table.Size) throw new InvalidDataException("ELF string index out of range.");
            long start = table.Offset + index;
            long end = start;
            while (end < table.Offset + table.Size && elf[end] != 0) end++;
            return Encoding.ASCII.GetString(elf, (int)start, (int)(end - start));
        }

        private static void Check(byte[] elf, long offset, long length)
        {
            if (offset < 0 || length < 0 || offset + length > elf.Length)
                throw new InvalidDataException("Truncated or malformed ELF file.");
        }

        private static ushort U16(byte[] b, long o) => (ushort)(b[o] | (b[o + 1] << 8));

        private static uint U32(byte[] b, long o) => (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24));

        private static ulong U64(byte[] b, long o) => U32(b, o) | ((ulong)U32(b, o + 4) << 32);
    }

#if !TSDSR_ELF_TESTS
    /// <summary>MSBuild task: patches copies of libLibTorchSharp.so in an output folder when the host needs it.</summary>
    public sealed class TsdSrPatchLibTorchSharp : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        public override bool Execute()
        {
            if (Files.Length == 0) return true;
            var host = ElfVersionPatcher.FindHostLibStdCxx();
            if (host == null)
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal,
                    "TsdSr: no libstdc++.so.6 found on this machine; libLibTorchSharp.so left as shipped.");
                return true;
            }
            var hostVersions = ElfVersionPatcher.ReadVersionDefinitions(File.ReadAllBytes(host));
            foreach (var item in Files)
            {
                var path = item.ItemSpec;
                var bytes = File.ReadAllBytes(path);
                var (patched, unfixable) = ElfVersionPatcher.WeakenMissing(bytes, "libstdc++.so.6", hostVersions);
                if (unfixable.Count > 0)
                {
                    Log.LogWarning(null, "TSDSR0001", null, path, 0, 0, 0, 0,
                        "TsdSr: {0} needs {1}, which {2} does not provide and which cannot be patched safely; TorchSharp will not load on this machine.",
                        Path.GetFileName(path), string.Join(", ", unfixable), host);
                }
                if (patched.Count == 0) continue;
                // Write a new file and move it over the old one: the output copy may be a hard link into the NuGet
                // cache, which must stay untouched.
                var temp = path + ".tsdsr-patch.tmp";
                File.WriteAllBytes(temp, bytes);
                File.Delete(path);
                File.Move(temp, path);
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                    "TsdSr: marked {0} weak in {1} (host {2} lacks it).", string.Join(", ", patched), path, host);
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}

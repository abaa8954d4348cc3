using System.Runtime.Versioning;

// The assembly runs on the libtorch-cpu-linux-x64 backend it references, so Unix-only file APIs (FIFOs, file modes) are
// fine throughout.
[assembly: SupportedOSPlatform("linux")]

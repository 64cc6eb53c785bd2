namespace ApiLab.Spec;

/// <summary>mmap/mprotect protection bits.</summary>
[Flags]
public enum Prot
{
    None = 0,
    Read = 0x1,
    Write = 0x2,
    Exec = 0x4,
    ReadWrite = Read | Write,
}

using System.Globalization;
using System.Text;
using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>/proc/pid/maps, byte for byte as show_map_vma prints it (checked against this project's 6.18 host).</summary>
public sealed partial class Mm
{
    /// <summary>seq_setwidth(m, 25 + sizeof(void *) * 6 - 1): names start after column 72.</summary>
    private const int NameColumn = 25 + (8 * 6) - 1;

    /// <summary>The shmem device as shown for "/dev/zero (deleted)" mappings.</summary>
    private const string ShmemDevice = "00:01";

    public string FormatMaps()
    {
        var text = new StringBuilder(Vmas.Count * 50);
        var line = new StringBuilder(128);
        for (var i = 0; i < Vmas.Count; i++)
        {
            var vma = Vmas[i];
            line.Clear();
            line.Append(vma.Start.ToString("x8", CultureInfo.InvariantCulture)).Append('-')
                .Append(vma.End.ToString("x8", CultureInfo.InvariantCulture)).Append(' ')
                .Append((vma.Flags & VmFlags.Read) != 0 ? 'r' : '-')
                .Append((vma.Flags & VmFlags.Write) != 0 ? 'w' : '-')
                .Append((vma.Flags & VmFlags.Exec) != 0 ? 'x' : '-')
                .Append((vma.Flags & VmFlags.MayShare) != 0 ? 's' : 'p');
            if (vma.Shmem is { Special: null } shmem)
            {
                line.Append(' ').Append((vma.PgOff << Page.Shift).ToString("x8", CultureInfo.InvariantCulture))
                    .Append(' ').Append(ShmemDevice).Append(' ')
                    .Append(shmem.Inode.ToString(CultureInfo.InvariantCulture)).Append(' ');
                line.Append(' ', Math.Max(0, NameColumn - line.Length)).Append(' ').Append(shmem.Name).Append(shmem.Linked ? "" : " (deleted)");
            }
            else
            {
                line.Append(" 00000000 00:00 0 ");
                // A special mapping shows like anonymous memory, under its vm_ops->name ("[vdso]").
                if ((vma.Shmem?.Special?.Name ?? AnonName(vma)) is { } name)
                {
                    line.Append(' ', Math.Max(0, NameColumn - line.Length)).Append(' ').Append(name);
                }
            }

            text.Append(line).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// get_vma_name for an anonymous VMA: [heap] when it overlaps [start_brk, brk) (vma_is_initial_heap, strict
    /// bounds), [stack] when it contains start_stack (vma_is_initial_stack). Derived from the mm, not stored: a piece
    /// split off the stack by mprotect is unnamed, anything mapped over the heap range is [heap].
    /// </summary>
    internal string? AnonName(Vma vma)
    {
        if (vma.Start < Brk && vma.End > StartBrk)
        {
            return "[heap]";
        }

        return StartStack != 0 && vma.Start <= StartStack && vma.End >= StartStack ? "[stack]" : null;
    }

    /// <summary>The layout as structured records (what a binary query such as PROCMAP_QUERY returns).</summary>
    public IReadOnlyList<VmaInfo> Describe()
    {
        var list = new VmaInfo[Vmas.Count];
        for (var i = 0; i < Vmas.Count; i++)
        {
            list[i] = Describe(Vmas[i]);
        }

        return list;
    }

    /// <summary>One VMA as a structured record.</summary>
    public VmaInfo Describe(Vma vma)
    {
        ArgumentNullException.ThrowIfNull(vma);
        if (vma.Shmem?.Special is { } special)
        {
            return new VmaInfo(vma.Start, vma.End, vma.Prot, vma.IsShared, false, special.Name);
        }

        return new VmaInfo(vma.Start, vma.End, vma.Prot, vma.IsShared, vma.Shmem is not null,
            vma.Shmem is { } s ? s.Name + (s.Linked ? "" : " (deleted)") : AnonName(vma) ?? "");
    }
}

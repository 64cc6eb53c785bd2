using System.Text;
using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// struct linux_binprm, reduced to the MMU argument path: the new mm and its temporary stack VMA, bprm->p (the next
/// free byte below the strings copied so far) and argmin (how low the strings may go), and what the copy cost.
/// </summary>
internal sealed class Bprm
{
    /// <summary>MAX_ARG_STRLEN: 32 pages per string, its NUL included (host-checked: 131071 characters pass).</summary>
    public const int MaxArgStrlen = 32 * (int)Page.Size;

    /// <summary>ARG_MAX: 32 pages of strings are always allowed, however small RLIMIT_STACK is.</summary>
    public const ulong ArgMax = 32 * Page.Size;

    /// <summary>_STK_LIM: 8 MiB.</summary>
    public const ulong StkLim = 8UL << 20;

    private readonly Mm _oldMm;
    private readonly ulong _rlimStack;

    // The page the last copy went into (copy_strings' kmapped_page), or none.
    private ulong _kpos = ulong.MaxValue;

    /// <summary>alloc_bprm → bprm_mm_init: a new mm (owned by the execing process, inheriting what mm_init keeps),
    /// RLIMIT_STACK saved for every later calculation, and the argument pages kept where <paramref name="staging"/>
    /// says (6.18's temporary stack, or seed 004's alternatives).
    /// Every staging uses the same coordinates: p starts one pointer below STACK_TOP_MAX, so the limits and the
    /// in-page offsets of every string are the same whatever holds the pages. <paramref name="stackPointer"/> is the
    /// execer's user sp, for <see cref="ExecArgStaging.CallerStack"/>.</summary>
    public Bprm(Machine machine, Process process, Mm oldMm, ExecOptions options, ExecArgStaging staging, ulong stackPointer)
    {
        _oldMm = oldMm;
        _rlimStack = process.Limits.Stack;
        Mm = new Mm(machine) { Owner = process, MmapBase = options.MmapBase };
        oldMm.InheritForExec(Mm);
        Store = ArgStore.Create(staging, this, machine, oldMm, stackPointer);
        P = Mm.StackTopMax - sizeof(ulong);
    }

    public Mm Mm { get; }

    /// <summary>Where the argument pages live until the new stack is set up.</summary>
    internal ArgStore Store { get; }

    public ulong P { get; set; }

    public ulong ArgMin { get; private set; }

    public int Argc { get; private set; }

    public int Envc { get; private set; }

    public long BytesCopied { get; private set; }

    public long PageLookups { get; private set; }

    /// <summary>bprm->vma_pages: the stack pages acct_arg_size last charged to the execing task.</summary>
    public long VmaPages { get; private set; }

    /// <summary>
    /// do_execveat_common's argument part: count both arrays (a null entry ends one, as the NULL pointer does),
    /// bprm_stack_limits, then copy the filename, envp and argv, and "" as argv[0] when argv was empty. E2BIG for
    /// anything too long and for a page that cannot be had (no memory, or the stack over RLIMIT_STACK).
    /// </summary>
    public Errno CopyArguments(IReadOnlyList<string?>? argv, IReadOnlyList<string?>? envp, string filename)
    {
        Argc = Count(argv);
        Envc = Count(envp);
        var error = StackLimits();
        if (error == Errno.None)
        {
            error = CopyStringKernel(filename);
        }

        if (error == Errno.None)
        {
            error = CopyStrings(envp, Envc);
        }

        if (error == Errno.None)
        {
            error = CopyStrings(argv, Argc);
        }

        if (error == Errno.None && Argc == 0)
        {
            error = CopyStringKernel("");
            Argc = 1;
        }

        return error;
    }

    /// <summary>A failed exec before the point of no return: the new mm goes, the old one was never touched.</summary>
    public void Abandon()
    {
        _oldMm.ExecArgPages = 0;
        Store.Abandon();
        Mm.Teardown();
    }

    private static int Count(IReadOnlyList<string?>? list)
    {
        if (list is null)
        {
            return 0;
        }

        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                return i;
            }
        }

        return list.Count;
    }

    /// <summary>
    /// bprm_stack_limits: a quarter of RLIMIT_STACK, at most 3/4 of _STK_LIM, at least ARG_MAX, minus the argv and envp
    /// pointers (counting one argv entry when argc is 0) → E2BIG when nothing is left (host-checked to the byte).
    /// </summary>
    private Errno StackLimits()
    {
        var limit = Math.Max(Math.Min(StkLim / 4 * 3, _rlimStack / 4), ArgMax);
        var pointers = ((ulong)Math.Max(Argc, 1) + (ulong)Envc) * sizeof(ulong);
        if (limit <= pointers)
        {
            return Errno.E2BIG;
        }

        ArgMin = P - (limit - pointers);
        return Errno.None;
    }

    /// <summary>copy_string_kernel.</summary>
    private Errno CopyStringKernel(string value)
    {
        _kpos = ulong.MaxValue;
        return CopyOne(Encode(value));
    }

    /// <summary>copy_strings: from the last string to the first, each from its end backwards.</summary>
    private Errno CopyStrings(IReadOnlyList<string?>? list, int count)
    {
        _kpos = ulong.MaxValue;
        for (var i = count - 1; i >= 0; i--)
        {
            var error = CopyOne(Encode(list![i]!));
            if (error != Errno.None)
            {
                return error;
            }
        }

        return Errno.None;
    }

    /// <summary>What strnlen_user sees: the UTF-8 bytes up to the first NUL, and the NUL.</summary>
    private static byte[] Encode(string value)
    {
        var nul = value.IndexOf('\0', StringComparison.Ordinal);
        var text = nul >= 0 ? value.AsSpan(0, nul) : value.AsSpan();
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    /// <summary>
    /// One string: longer than MAX_ARG_STRLEN → E2BIG (valid_arg_len); below argmin → E2BIG; then page by page from the
    /// top, fetching each page once (get_arg_page, which charges the stack to the execing task) and copying into it.
    /// </summary>
    private Errno CopyOne(ReadOnlySpan<byte> str)
    {
        var len = str.Length;
        if (len > MaxArgStrlen)
        {
            return Errno.E2BIG;
        }

        var pos = P;
        P -= (ulong)len;
        if (P < ArgMin)
        {
            return Errno.E2BIG;
        }

        while (len > 0)
        {
            var offset = (int)(pos & Page.Mask);
            var bytes = Math.Min(offset == 0 ? (int)Page.Size : offset, len);
            pos -= (ulong)bytes;
            len -= bytes;
            var page = Page.AlignDown(pos);
            if (_kpos != page)
            {
                if (!Store.GetPage(pos))
                {
                    return Errno.E2BIG;
                }

                _kpos = page;
                PageLookups++;
                AcctArgSize();
            }

            if (!Store.Copy(pos, str.Slice(len, bytes)))
            {
                return Errno.E2BIG;
            }

            BytesCopied += bytes;
        }

        return Errno.None;
    }

    /// <summary>acct_arg_size(bprm, vma_pages(vma)): the execing task's old mm carries the new stack in MM_ANONPAGES.</summary>
    private void AcctArgSize()
    {
        VmaPages = Store.Pages;
        if (Store.ChargedToCaller)
        {
            _oldMm.ExecArgPages = VmaPages;
        }
    }
}

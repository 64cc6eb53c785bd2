using ApiLab.Engine;
using ApiLab.Proposals.RemoteMadvise;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.RemoteMadvise;

/// <summary>FD per VMA: list, open one fd per private anonymous VMA; later, one hint and one close per fd.</summary>
public sealed class FdPerVmaDriver(Process manager, Process target) : ManagerDriver(manager, target)
{
    private readonly IFdPerVmaMadvise _api = new FdPerVmaMadviseAdapter(manager);
    private readonly List<VmaFd> _fds = [];

    public override string Design => "fd-per-vma";

    public override SysResult<IReadOnlyList<IoVec>> Survey()
    {
        var list = _api.ListVmas(new Pid(Target.Pid));
        if (!list.IsOk)
        {
            return list.Error;
        }

        var ranges = PrivateAnonymous(list.Value);
        foreach (var range in ranges)
        {
            var fd = _api.OpenVma(new Pid(Target.Pid), range);
            if (fd.IsOk)
            {
                _fds.Add(fd.Value);
            }
        }

        return SysResult<IReadOnlyList<IoVec>>.Ok(ranges);
    }

    public override SysResult<long> Advise(IReadOnlyList<IoVec> ranges, Advice advice)
    {
        long advised = 0;
        var firstError = Errno.None;
        foreach (var fd in _fds)
        {
            var result = _api.Advise(fd, advice);
            if (result.IsOk && Manager.Fds.Get(fd.Fd) is VmaFdFile file)
            {
                advised += (long)(file.End - file.Start);
            }
            else if (!result.IsOk && firstError == Errno.None)
            {
                firstError = result.Error;
            }

            _api.Close(fd);
        }

        _fds.Clear();
        return advised > 0 || firstError == Errno.None ? advised : firstError;
    }
}

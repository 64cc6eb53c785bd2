namespace ApiLab.Spec;

/// <summary>The call checks its own arguments before it looks up its target (process_vm_mmap returns EINVAL for bad
/// flags, a zero length or pid &lt;= 0 before find_get_task_by_vpid can say ESRCH). The adapter then calls the design's
/// <c>Precheck{Method}</c> hook, with every argument, right after the reserved-flags and iovec checks.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ChecksArgumentsFirstAttribute : Attribute;

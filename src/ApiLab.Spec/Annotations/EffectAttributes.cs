namespace ApiLab.Spec;

/// <summary>The call is a hint: it may change performance but never what the target reads (COLD, PAGEOUT, WILLNEED).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class HintAttribute : Attribute;

/// <summary>The call changes what the target observes (a zap: the next read sees zeroes or file contents).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class TargetVisibleAttribute : Attribute;

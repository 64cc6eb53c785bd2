namespace ApiLab.Spec;

/// <summary>This parameter is a handle the call closes: using it afterwards is a use-after-close, and a handle a
/// spec call returned that never reaches such a parameter leaks (APILAB1005).</summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class ReleasesAttribute : Attribute;

namespace ApiLab.Generators;

/// <summary>Names of the tracked pipeline steps, so caching tests can find each step's outputs.</summary>
public static class TrackingNames
{
    /// <summary>The model parsed from each [Proposal] interface, or null for a malformed one.</summary>
    public const string SpecModels = nameof(SpecModels);

    /// <summary>The models left once malformed specs are dropped.</summary>
    public const string ValidSpecs = nameof(ValidSpecs);
}

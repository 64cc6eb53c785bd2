using ApiLab.Analyzers.Annotations;

namespace ApiLab.Analyzers.Tests.Annotations;

public sealed class NameSetTests
{
    [Fact]
    public void Finds_every_name_by_a_run_of_characters_and_nothing_else()
    {
        // Enough names to fill many slots, so that probing past collisions is exercised.
        var names = Enumerable.Range(0, 300).Select(static i => $"Name{i}").Append("Kill").Append("K").ToList();
        var set = new NameSet(names);
        Assert.Equal(names.Count, set.Count);
        Assert.Equal("Name299".Length, set.MaxLength);

        foreach (var name in names)
        {
            var buffer = ("  " + name + "(").ToCharArray();
            Assert.Same(name, set.Find(buffer, 2, name.Length));
        }

        var text = "Kil Kills xKill Name300 Name3000".ToCharArray();
        Assert.Null(set.Find(text, 0, 3));
        Assert.Null(set.Find(text, 4, 5));
        Assert.Null(set.Find(text, 10, 5));
        Assert.Null(set.Find(text, 16, 7));
        Assert.Null(set.Find(text, 24, 8));
    }

    [Fact]
    public void Duplicate_names_count_once()
    {
        var set = new NameSet(["Open", "Open", "Close"]);
        Assert.Equal(2, set.Count);
        Assert.Equal("Close", set.Find("Close".ToCharArray(), 0, 5));
    }
}

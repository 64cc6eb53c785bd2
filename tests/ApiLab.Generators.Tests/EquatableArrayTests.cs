using System.Collections.Immutable;
using ApiLab.Generators.Helpers;

namespace ApiLab.Generators.Tests;

public sealed class EquatableArrayTests
{
    [Fact]
    public void Arrays_with_equal_items_are_equal_and_hash_alike()
    {
        var a = new EquatableArray<string>(new string[] { "x", "y" });
        var b = new EquatableArray<string>(new[] { "x", "y" }.ToImmutableArray());

        Assert.True(a == b);
        Assert.True(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Order_and_content_matter()
    {
        var a = new EquatableArray<string>(new string[] { "x", "y" });

        Assert.NotEqual(a, new EquatableArray<string>(new string[] { "y", "x" }));
        Assert.NotEqual(a, new EquatableArray<string>(new string[] { "x" }));
        Assert.NotEqual(a, new EquatableArray<string>(new string[] { "x", "y", "z" }));
        Assert.True(a != new EquatableArray<string>(new string[] { "x", "z" }));
    }

    [Fact]
    public void Empty_default_and_Empty_are_equal_and_hash_without_throwing()
    {
        EquatableArray<string> defaultArray = default;
        var fromEmpty = new EquatableArray<string>(Array.Empty<string>());
        var fromDefaultImmutable = new EquatableArray<string>(default(ImmutableArray<string>));

        Assert.Equal(EquatableArray<string>.Empty, defaultArray);
        Assert.Equal(EquatableArray<string>.Empty, fromEmpty);
        Assert.Equal(EquatableArray<string>.Empty, fromDefaultImmutable);
        Assert.Equal(EquatableArray<string>.Empty.GetHashCode(), defaultArray.GetHashCode());
        Assert.True(defaultArray.IsEmpty);
        Assert.Empty(defaultArray);
        Assert.NotEqual(EquatableArray<string>.Empty, new EquatableArray<string>(new string[] { "" }));
    }

    [Fact]
    public void It_is_a_readable_list()
    {
        var array = new[] { 3, 1, 2 }.ToEquatableArray();

        Assert.Equal(3, array.Count);
        Assert.Equal(1, array[1]);
        Assert.Equal([3, 1, 2], array);
    }

    [Fact]
    public void Records_holding_one_compare_by_content()
    {
        Assert.Equal(new Holder(new EquatableArray<int>(new int[] { 1, 2 })), new Holder(new EquatableArray<int>(new int[] { 1, 2 })));
        Assert.NotEqual(new Holder(new EquatableArray<int>(new int[] { 1, 2 })), new Holder(new EquatableArray<int>(new int[] { 2, 1 })));
    }

    private sealed record Holder(EquatableArray<int> Items);
}

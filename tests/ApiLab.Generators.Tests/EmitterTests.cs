namespace ApiLab.Generators.Tests;

/// <summary>String literals in generated code: every value must round-trip and stay on one line.</summary>
public sealed class EmitterTests
{
    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData(@"C:\seeds\x", "\"C:\\\\seeds\\\\x\"")]
    [InlineData("a\nb\r\tc", "\"a\\nb\\r\\tc\"")]
    [InlineData("nul\0", "\"nul\\0\"")]
    [InlineData("line\u2028sep\u0085", "\"line\\u2028sep\\u0085\"")]
    [InlineData("bell\u0007", "\"bell\\u0007\"")]
    [InlineData("é ü", "\"é ü\"")]
    public void Literals_are_escaped(string value, string expected) =>
        Assert.Equal(expected, AdapterGenerator.Emitter.Literal(value));

    [Fact]
    public void A_null_literal_is_null() => Assert.Equal("null", AdapterGenerator.Emitter.Literal(null));

    [Fact]
    public void Escaped_literals_parse_back_to_the_same_string()
    {
        const string value = "q\"b\\n\n\r\t\0\u2028\u0001end";
        var literal = AdapterGenerator.Emitter.Literal(value);

        var parsed = Microsoft.CodeAnalysis.CSharp.SyntaxFactory.ParseExpression(literal);

        Assert.Equal(value, ((Microsoft.CodeAnalysis.CSharp.Syntax.LiteralExpressionSyntax)parsed).Token.ValueText);
    }
}

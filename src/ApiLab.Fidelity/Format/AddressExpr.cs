using System.Globalization;

namespace ApiLab.Fidelity.Format;

/// <summary>An address operand: a named result plus a byte offset (<c>a+2p</c>, <c>a-1p</c>), or an absolute number.</summary>
public readonly record struct AddressExpr(string? Name, long Offset)
{
    public static AddressExpr Absolute(ulong value) => new(null, unchecked((long)value));

    public override string ToString()
    {
        if (Name is null)
        {
            return "0x" + unchecked((ulong)Offset).ToString("x", CultureInfo.InvariantCulture);
        }

        if (Offset == 0)
        {
            return Name;
        }

        var sign = Offset < 0 ? "-" : "+";
        var magnitude = Math.Abs(Offset);
        return magnitude % 4096 == 0
            ? $"{Name}{sign}{(magnitude / 4096).ToString(CultureInfo.InvariantCulture)}p"
            : $"{Name}{sign}{magnitude.ToString(CultureInfo.InvariantCulture)}";
    }
}

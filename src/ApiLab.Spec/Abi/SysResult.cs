namespace ApiLab.Spec;

/// <summary>
/// The outcome of a simulated system call: a value, or the errno Linux would return. Never thrown: bad user input
/// is an ordinary result, as it is for a real syscall.
/// </summary>
public readonly struct SysResult<T> : IEquatable<SysResult<T>>
{
    private readonly T _value;

    private SysResult(T value, Errno error)
    {
        _value = value;
        Error = error;
    }

    /// <summary>The errno, or <see cref="Errno.None"/> on success.</summary>
    public Errno Error { get; }

    public bool IsOk => Error == Errno.None;

    /// <summary>The value; reading it from a failed result is a programming error in the caller.</summary>
    public T Value => IsOk ? _value : throw new InvalidOperationException($"syscall failed with {Error}; check IsOk first");

    public T? ValueOrDefault => IsOk ? _value : default;

    public static SysResult<T> Ok(T value) => new(value, Errno.None);

    public static SysResult<T> Fail(Errno error) =>
        error == Errno.None ? throw new ArgumentException("a failure needs an errno", nameof(error)) : new(default!, error);

    public static implicit operator SysResult<T>(T value) => Ok(value);

    public static implicit operator SysResult<T>(Errno error) => Fail(error);

    public bool Equals(SysResult<T> other) =>
        Error == other.Error && EqualityComparer<T>.Default.Equals(_value, other._value);

    public override bool Equals(object? obj) => obj is SysResult<T> other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Error, _value);

    public static bool operator ==(SysResult<T> left, SysResult<T> right) => left.Equals(right);

    public static bool operator !=(SysResult<T> left, SysResult<T> right) => !left.Equals(right);

    public override string ToString() => IsOk ? $"{_value}" : $"-{Error}";
}

namespace ApiLab.Engine;

/// <summary>
/// Frame refcounts in 16 bits each. Nearly every frame has a handful of references; one with
/// <see cref="RefCounts.Overflow"/> or more (a page shared by thousands of forked processes) keeps its count in a
/// side table, so no count is ever capped.
/// </summary>
public sealed partial class FramePool
{
    private readonly RefCounts _refCount;

    private sealed class RefCounts(int initial)
    {
        public const ushort Overflow = ushort.MaxValue;

        private ushort[] _small = new ushort[initial];
        private readonly Dictionary<int, int> _large = [];

        public int Length => _small.Length;

        public int this[int frame]
        {
            get
            {
                var small = _small[frame];
                return small == Overflow ? _large[frame] : small;
            }

            set
            {
                if (value < Overflow)
                {
                    if (_small[frame] == Overflow)
                    {
                        _large.Remove(frame);
                    }

                    _small[frame] = (ushort)value;
                }
                else
                {
                    _small[frame] = Overflow;
                    _large[frame] = value;
                }
            }
        }

        public void Resize(int size) => Array.Resize(ref _small, size);
    }
}

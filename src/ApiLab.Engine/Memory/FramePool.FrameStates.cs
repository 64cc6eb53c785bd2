using System.Runtime.CompilerServices;

namespace ApiLab.Engine;

public sealed partial class FramePool
{
    /// <summary>
    /// Two bits per frame, 32 frames to a word: the chunked tiers (<c>FramePool.LruLinks.cs</c>,
    /// <c>FramePool.RmapWords.cs</c>) keep here which form each frame's value takes, so that the common read or store
    /// is one load and a shift, with no look at the chunk. A quarter of a byte per frame, allocated as frames are.
    /// </summary>
    private struct FrameStates()
    {
        private const int WordsPerChunk = 512 / 32;

        private ulong[] _words = [];

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly int Get(int frame) => (int)(_words[frame >> 5] >> ((frame & 31) << 1)) & 3;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Set(int frame, int state)
        {
            ref var word = ref _words[frame >> 5];
            var shift = (frame & 31) << 1;
            word = (word & ~(3UL << shift)) | ((ulong)state << shift);
        }

        /// <summary>Gives every frame of 512-frame chunk <paramref name="chunk"/> the same state.</summary>
        public readonly void Fill(int chunk, int state) =>
            Array.Fill(_words, 0x5555_5555_5555_5555UL * (ulong)state, chunk * WordsPerChunk, WordsPerChunk);

        /// <summary>Room for whole 512-frame chunks covering the frames below <paramref name="frames"/>.</summary>
        public void Resize(int frames)
        {
            var words = ((frames + 511) >> 9) * WordsPerChunk;
            if (words > _words.Length)
            {
                Array.Resize(ref _words, words);
            }
        }
    }
}

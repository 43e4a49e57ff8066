namespace Shiliu.Core.Platform;

/// <summary>Randomness for demo records that is the same on every machine and every run (string.GetHashCode is not).</summary>
public static class DemoRandom
{
    public static Random For(string key)
    {
        var h = 2166136261u;
        foreach (var c in key) h = (h ^ c) * 16777619u;
        return new Random((int)(h & 0x7fffffff));
    }
}

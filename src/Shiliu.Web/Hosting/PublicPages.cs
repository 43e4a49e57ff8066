using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Shiliu.Core.Data;
using Shiliu.Core.Platform.Public;

namespace Shiliu.Web.Hosting;

/// <summary>Marks a page of the residents' surface: its own light shell, no staff scripts or styles, no circuit.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class PublicPageAttribute : Attribute;

public sealed class PublicFormOptions
{
    /// <summary>Posts of one form per address and hour whose browser solved the challenge (SECURITY.md #25: 5 appeals an hour).</summary>
    public int PerHour { get; set; } = 5;
    /// <summary>The same for a browser without JavaScript (no challenge answer): stricter, but never shut out.</summary>
    public int PerHourWithoutScript { get; set; } = 2;
    /// <summary>Requests of any public page per address and minute.</summary>
    public int PagesPerMinute { get; set; } = 60;

    /// <summary>
    /// Public photos per address and minute: a news page shows a dozen, and a township office or a school reaches the site
    /// through one address, so photos have a bucket of their own instead of eating the pages'.
    /// </summary>
    public int PhotosPerMinute { get; set; } = 600;
}

public static class PublicLimits
{
    public const string Pages = "public-pages";
    public const string Photos = "public-photos";
}

/// <summary>What a public form's post may do: go on, or wait (with how long, for Retry-After).</summary>
public sealed record FormAdmission(bool Admitted, ChallengeResult Challenge, TimeSpan? RetryAfter, string? Message);

/// <summary>
/// Guards the posts of public forms: the challenge answer decides the bucket (solved, or no script), each bucket is
/// counted per form and client address (the real client behind trusted proxies only), and a forged answer is refused.
/// </summary>
public sealed class PublicFormGuard(ChallengeService challenges, PublicFormOptions options)
{
    readonly PartitionedRateLimiter<string> _solved = Limiter(options.PerHour);
    readonly PartitionedRateLimiter<string> _plain = Limiter(options.PerHourWithoutScript);

    static PartitionedRateLimiter<string> Limiter(int perHour) => PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = perHour, Window = TimeSpan.FromHours(1), SegmentsPerWindow = 6, QueueLimit = 0,
        }));

    /// <summary>Checks the post's challenge fields ("challenge", "challenge-answer") and counts it against its address.</summary>
    public async Task<FormAdmission> AdmitAsync(HttpContext http, ShiliuDb db, string form, CancellationToken ct = default)
    {
        var f = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : null;
        var result = await challenges.CheckAsync(db, form, f?["challenge"], f?["challenge-answer"], ct);
        if (result == ChallengeResult.Invalid)
            // The page answers the refused post with the form refilled and a fresh challenge (a form left open past the
            // challenge's lifetime lands here): one more press sends it; nothing typed is lost.
            return new FormAdmission(false, result, null, "安全校验已过期或没有通过。您填写的内容已保留，请再点一次提交（照片需要重新选择）");
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        using var lease = (result == ChallengeResult.Solved ? _solved : _plain).AttemptAcquire($"{form}|{address}");
        if (lease.IsAcquired) return new FormAdmission(true, result, null, null);
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(10);
        return new FormAdmission(false, result, wait, $"提交过于频繁，请 {Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes))} 分钟后再试；如有急事请拨打服务电话");
    }
}

public static class PublicSurface
{
    /// <summary>
    /// Forwarded headers are believed only from the configured proxies (Network:KnownProxies, Network:KnownNetworks as
    /// CIDR); otherwise the connection's own address counts, so a forged header cannot pick someone else's bucket, and one
    /// proxy does not make the whole county one bucket once it is configured.
    /// </summary>
    public static void AddPublicSurface(this IServiceCollection services, IConfiguration config)
    {
        // Read at start-up, so a malformed address stops the server instead of printing wrong QR codes.
        services.AddSingleton(new PublicOrigin(config[PublicOrigin.Setting]));
        var forms = config.GetSection("PublicForms").Get<PublicFormOptions>() ?? new PublicFormOptions();
        services.AddSingleton(forms);
        services.AddSingleton<PublicFormGuard>();
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var p in config.GetSection("Network:KnownProxies").Get<string[]>() ?? [])
                o.KnownProxies.Add(IPAddress.TryParse(p, out var ip) ? ip : throw new InvalidOperationException($"Network:KnownProxies 中的“{p}”不是 IP 地址"));
            foreach (var n in config.GetSection("Network:KnownNetworks").Get<string[]>() ?? [])
                o.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(n, out var net) ? net : throw new InvalidOperationException($"Network:KnownNetworks 中的“{n}”不是网段（如 10.0.0.0/8）"));
            o.ForwardLimit = Math.Max(1, o.KnownProxies.Count + o.KnownIPNetworks.Count);
            // With no proxy configured the middleware would trust anyone's header: then it reads none at all.
            if (o.KnownProxies.Count + o.KnownIPNetworks.Count == 0) o.ForwardedHeaders = ForwardedHeaders.None;
        });
    }

    public static void AddPublicPagesLimit(this RateLimiterOptions o, PublicFormOptions forms)
    {
        o.AddPolicy(PublicLimits.Pages, ctx => RateLimitPartition.GetFixedWindowLimiter(ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = forms.PagesPerMinute, Window = TimeSpan.FromMinutes(1) }));
        o.AddPolicy(PublicLimits.Photos, ctx => RateLimitPartition.GetFixedWindowLimiter(ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = forms.PhotosPerMinute, Window = TimeSpan.FromMinutes(1) }));
    }
}

namespace Shiliu.Web.Hosting;

/// <summary>Headers of SECURITY.md #24 and #39 on every response; personal-data pages are never cached.</summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    // base-uri 'self', not SECURITY.md's 'none': Blazor needs <base href="/"> (App.razor) to resolve its scripts and routes.
    const string Csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
                       "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    // The API reference page runs its own inline bootstrap script.
    const string DocsCsp = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
                           "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    /// <summary>Set in HttpContext.Items by endpoints that serve stored files with their own policy.</summary>
    public const string StoredFilePolicy = "shiliu.stored-file-policy";

    public Task Invoke(HttpContext ctx)
    {
        ctx.Response.OnStarting(() =>
        {
            var h = ctx.Response.Headers;
            // Stored files set their own, stricter policy (sandboxed, framable by our own preview only); everything else gets ours.
            var ownPolicy = ctx.Items.ContainsKey(StoredFilePolicy);
            if (!ownPolicy) h.ContentSecurityPolicy = ctx.Request.Path.StartsWithSegments("/api/docs") ? DocsCsp : Csp;
            h.XContentTypeOptions = "nosniff";
            if (!ownPolicy) h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "no-referrer";
            h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            var isAsset = ctx.Request.Path.StartsWithSegments("/_framework") || ctx.Request.Path.StartsWithSegments("/_content")
                          || Path.HasExtension(ctx.Request.Path.Value);
            if (!isAsset) h.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        return next(ctx);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Common;
using Shiliu.Core.Data;

namespace Shiliu.Core.Platform;

/// <summary>
/// The one way a service answers a visitor without an account (public pages, a wall screen): a DI scope of its own acting
/// as the audited system under a reason, and a context in it. Refuses to run without the web host's caller switch, so the
/// work can never fall back to whoever the ambient caller is.
/// </summary>
public static class SystemScopes
{
    public static async Task<T> AsSystemAsync<T>(this IServiceScopeFactory scopes, string reason, Func<ShiliuDb, IServiceProvider, Task<T>> work, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        if (scope.ServiceProvider.GetRequiredService<ICallerAccessor>() is not ISystemCallerSwitch s)
            throw new InvalidOperationException($"{reason}: acting as the system needs the web host's caller accessor");
        s.UseSystem(reason);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync(ct);
        return await work(db, scope.ServiceProvider);
    }
}

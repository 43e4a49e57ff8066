using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Shiliu.Core.Accounts;
using Shiliu.Core.Common;

namespace Shiliu.Web.Hosting;

/// <summary>
/// Open pages re-check their session every 60 s (Blazor's default is 30 min): a logout, disable or timeout elsewhere
/// ends this circuit's sign-in too (SECURITY.md #7).
/// </summary>
public sealed class SessionRevalidatingStateProvider(ILoggerFactory logger, IServiceScopeFactory scopes)
    : RevalidatingServerAuthenticationStateProvider(logger)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(60);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct)
    {
        if (!Guid.TryParse(state.User.FindFirstValue(ShiliuClaims.SessionId), out var sid)) return false;
        await using var scope = scopes.CreateAsyncScope();
        var isAdmin = state.User.FindAll(ClaimTypes.Role).Any(r => Roles.Admin.Contains(r.Value));
        var check = await scope.ServiceProvider.GetRequiredService<SessionService>().CheckAsync(sid, touch: false, isAdmin, ct);
        return check.Valid;
    }
}

/// <summary>Gives the circuit's services its user, and counts clicks and typing in the circuit as activity (idle timeout).</summary>
public sealed class UserCircuitHandler(AuthenticationStateProvider auth, CallerAccessor caller, IServiceScopeFactory scopes, TimeProvider clock)
    : CircuitHandler
{
    DateTimeOffset _lastTouch = DateTimeOffset.MinValue;
    Guid? _sid;

    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken ct)
    {
        auth.AuthenticationStateChanged += OnChanged;
        Set((await auth.GetAuthenticationStateAsync()).User);
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken ct)
    {
        auth.AuthenticationStateChanged -= OnChanged;
        return Task.CompletedTask;
    }

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async ctx =>
        {
            var now = clock.GetUtcNow();
            if (_sid is { } sid && now - _lastTouch > TimeSpan.FromSeconds(60))
            {
                _lastTouch = now;
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<SessionService>().CheckAsync(sid, touch: true, isAdmin: false);
            }
            await next(ctx);
        };

    async void OnChanged(Task<AuthenticationState> task)
    {
        try
        {
            Set((await task).User);
        }
        catch (Exception)
        {
            Set(new ClaimsPrincipal());
        }
    }

    void Set(ClaimsPrincipal user)
    {
        caller.CircuitUser = user;
        _sid = Guid.TryParse(user.FindFirstValue(ShiliuClaims.SessionId), out var id) ? id : null;
    }
}

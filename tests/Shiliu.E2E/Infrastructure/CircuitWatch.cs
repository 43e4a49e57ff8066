using System.Diagnostics;
using Microsoft.Playwright;

namespace Shiliu.E2E.Infrastructure;

/// <summary>
/// Knows when a page has become interactive. Interactive pages are prerendered, so their content is on screen before
/// the circuit exists and clicks on it do nothing; the circuit is up once the server has answered on the Blazor
/// WebSocket with more than the SignalR handshake.
/// </summary>
public sealed class CircuitWatch
{
    readonly IPage _page;
    readonly object _gate = new();
    IWebSocket? _socket;
    int _frames;

    public CircuitWatch(IPage page)
    {
        _page = page;
        page.WebSocket += (_, socket) =>
        {
            if (!socket.Url.Contains("/_blazor", StringComparison.Ordinal)) return;
            lock (_gate)
            {
                _socket = socket;
                _frames = 0;
            }
            socket.FrameReceived += (_, _) =>
            {
                lock (_gate)
                    if (ReferenceEquals(_socket, socket)) _frames++;
            };
        };
    }

    /// <summary>Waits until the current document has a live circuit that has sent at least one message after the handshake.</summary>
    public async Task WaitAsync()
    {
        await _page.WaitForFunctionAsync("() => window.Blazor !== undefined", null, new() { Timeout = BrowserSession.TimeoutMs });
        var clock = Stopwatch.StartNew();
        while (!IsUp())
        {
            if (clock.ElapsedMilliseconds > BrowserSession.TimeoutMs)
                throw new System.TimeoutException($"no Blazor circuit on {_page.Url} within {BrowserSession.TimeoutMs / 1000} s");
            await Task.Delay(100);
        }
    }

    bool IsUp()
    {
        lock (_gate) return _socket is { IsClosed: false } && _frames >= 2;
    }

    /// <summary>
    /// Clicks until <paramref name="evidence"/> shows: a click that lands while a prerendered page is still being
    /// attached to its circuit is silently lost. Only for clicks that are harmless to repeat.
    /// </summary>
    public static async Task ClickUntilVisibleAsync(ILocator target, ILocator evidence)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await evidence.IsVisibleAsync()) return;
            await target.ClickAsync();
            try
            {
                await evidence.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 2_000 });
                return;
            }
            catch (System.TimeoutException) when (clock.ElapsedMilliseconds < BrowserSession.TimeoutMs)
            {
                // The click was lost; try again while time remains.
            }
        }
    }
}

using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Shiliu.Tests.Infrastructure;

/// <summary>Records every log entry of an app (message, state values, scopes, exception) for tests that look for leaks.</summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    readonly ConcurrentQueue<string> _lines = new();
    IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>Adds this provider to an app: every category at every level, for it alone (the console keeps the configured levels).</summary>
    public void AddTo(IServiceCollection services) => services.AddLogging(b => b.AddProvider(this).AddFilter<LogCapture>(null, LogLevel.Trace));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new System.Text.StringBuilder($"{logLevel} {category}: {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
                foreach (var (key, value) in values) text.Append($" | {key}={value}");
            owner._scopes.ForEachScope((scope, sb) => sb.Append($" | scope {scope}"), text);
            if (exception is not null) text.Append($" | {exception}");
            owner._lines.Enqueue(text.ToString());
        }
    }
}

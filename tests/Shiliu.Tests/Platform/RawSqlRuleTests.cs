using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Shiliu.Tests.Platform;

/// <summary>
/// #22: SQL text is made of constants; values go in as parameters. The rule reads every C# file under src/, finds the raw
/// SQL sinks (<c>ExecuteSqlRaw[Async]</c>, <c>FromSqlRaw</c>, <c>SqlQueryRaw</c>, <c>new NpgsqlCommand</c>/<c>SqliteCommand</c>,
/// <c>CommandText =</c>) and follows their text back through locals, assignments, foreach lists, const and static readonly
/// fields and, for a parameter, the same file's call sites. What is neither a literal nor a constant is reported, unless
/// listed below with the reason it is safe.
/// </summary>
public sealed class RawSqlRuleTests
{
    /// <summary>Identifiers that SQL cannot take as parameters: each (file, expression put into the SQL text) with why it is safe.</summary>
    static readonly Dictionary<(string File, string Expression), string> Allowed = new()
    {
        [("BackupService.cs", "name")] = "table names read from the EF model, in double quotes",
        [("BackupService.cs", "audit")] = "the audit table's name from the EF model",
        [("BackupService.cs", "lastId")] = "a long parsed from the database, not text",
        [("BackupService.cs", "live.Database")] = "CREATE/DROP DATABASE take no parameters: the operator's own configured database name",
        [("BackupService.cs", "DateTime.UtcNow")] = "a timestamp in a fixed digit format, part of the drill's scratch database name",
        [("BackupService.cs", "Random.Shared.Next(1000)")] = "a number in a fixed digit format, part of the drill's scratch database name",
        [("BulkInsert.cs", "plan.Table")] = "the table name from the EF model",
        [("BulkInsert.cs", """string.Join(", ", plan.Columns.Select(c => $"\"{c.Name}\""))""")] = "column names from the EF model, in double quotes",
        [("BulkInsert.cs", """string.Join(", ", plan.Columns.Select((_, i) => "@p" + i))""")] = "parameter placeholders @p0, @p1, …: the values are parameters",
        [("DatabaseStartup.cs", "app.Replace(\"\\\"\", \"\\\"\\\"\")")] = "GRANT/REVOKE take no parameters: the configured app role's name, its quotes doubled inside double quotes",
        [("OrganizationService.cs", "table")] = "table names of org-owned entities from the EF model",
        [("OrganizationService.cs", "column")] = "the OrgPath column's name from the EF model",
        [("SqliteIndexHints.cs", "SqliteIndexHints.Rewrite(command.CommandText)")] =
            "EF's own command text with INDEXED BY \"index\" added after a FROM; table and index are checked as plain identifiers when the query is tagged",
    };

    [Fact]
    public void Raw_sql_in_src_is_built_from_constants_and_model_identifiers_only()
    {
        var root = FindRoot();
        var findings = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .SelectMany(f => Scan(File.ReadAllText(f), Path.GetFileName(f)))
            .ToList();
        Assert.True(findings.Count > 0, "the scan found no raw SQL at all: has it stopped reading src/?");
        var unexplained = findings.Where(f => !Allowed.ContainsKey((f.File, f.Expression))).Select(f => $"{f.File}:{f.Line}: {f.Expression}").ToList();
        Assert.True(unexplained.Count == 0, "raw SQL built from values (pass them as parameters):\n" + string.Join("\n", unexplained));
        var stale = Allowed.Keys.Where(k => !findings.Any(f => (f.File, f.Expression) == k)).ToList();
        Assert.True(stale.Count == 0, "allow-list entries that match nothing any more (remove them):\n" + string.Join("\n", stale));
    }

    [Fact]
    public void The_rule_reports_values_put_into_sql_and_passes_parameters_and_constants()
    {
        const string bad = """
            class Bad
            {
                void A(Db db, string name) => db.Residents.FromSqlRaw($"SELECT * FROM Residents WHERE Name = '{name}'");
                void B(Db db, string who) => db.Database.ExecuteSqlRaw("DELETE FROM T WHERE N = '" + who + "'");
                void C(DbCommand cmd, string id) { var sql = $"SELECT * FROM T WHERE Id = {id}"; cmd.CommandText = sql; }
                void D(NpgsqlConnection c, string col) { using var cmd = new NpgsqlCommand("SELECT " + col, c); }
                void E(Db db, Row row) => db.Database.SqlQueryRaw<int>($"SELECT {row.Value}");
                void F(DbCommand cmd, string v) { Run(cmd, $"SELECT {v}"); }
                void Run(DbCommand cmd, string text) { cmd.CommandText = text; }
                async Task G(Db db, string term) { var sql = "SELECT 1"; sql += " WHERE x = '" + term + "'"; await db.Database.ExecuteSqlRawAsync(sql); }
                void H(DbConnection c, string[] names) { foreach (var n in names) { using var cmd = new SqliteCommand { CommandText = $"SELECT {n}" }; } }
            }
            """;
        Assert.Equal(["name", "who", "id", "col", "row.Value", "v", "term", "n"], Scan(bad, "Bad.cs").Select(f => f.Expression));

        const string good = """
            class Good
            {
                const long LockId = 42;
                static readonly string[] Settings = ["fsync", "full_page_writes"];
                void A(Db db, string name) => db.Residents.FromSqlRaw("SELECT * FROM Residents WHERE Name = {0}", name);
                void B(Db db, bool lockRows) { var sql = "SELECT 1" + (lockRows ? " FOR UPDATE" : ""); db.Database.ExecuteSqlRaw($"{sql} /* {LockId} */"); }
                void C(DbCommand cmd) { foreach (var s in Settings) cmd.CommandText = $"SHOW {s}"; }
                void D(DbCommand cmd) { foreach (var (p, v) in new[] { ("journal_mode", "wal"), ("foreign_keys", "1") }) cmd.CommandText = $"PRAGMA {p};"; }
                void E(Db db, string v) => db.Database.ExecuteSql($"SELECT {v}");
                void F(DbCommand cmd) => cmd.CommandText = $"SELECT {nameof(Good)}";
            }
            """;
        Assert.Empty(Scan(good, "Good.cs"));
    }

    public sealed record Finding(string File, int Line, string Expression);

    static readonly HashSet<string> SinkMethods = ["ExecuteSqlRaw", "ExecuteSqlRawAsync", "FromSqlRaw", "SqlQueryRaw"];
    static readonly HashSet<string> CommandTypes = ["NpgsqlCommand", "SqliteCommand"];

    static List<Finding> Scan(string source, string file)
    {
        var tree = CSharpSyntaxTree.ParseText(source);
        var scan = new FileScan(tree.GetRoot(), file);
        foreach (var node in tree.GetRoot().DescendantNodes())
        {
            var sql = node switch
            {
                InvocationExpressionSyntax i when SinkMethods.Contains(NameOf(i.Expression)) && i.ArgumentList.Arguments.Count > 0 => i.ArgumentList.Arguments[0].Expression,
                ObjectCreationExpressionSyntax o when CommandTypes.Contains(NameOf(o.Type)) && o.ArgumentList?.Arguments.Count > 0 => o.ArgumentList.Arguments[0].Expression,
                AssignmentExpressionSyntax a when a.IsKind(SyntaxKind.SimpleAssignmentExpression) && NameOf(a.Left) == "CommandText" => a.Right,
                _ => null,
            };
            if (sql is not null) scan.Walk(sql, scan.Found);
        }
        return scan.Found.DistinctBy(f => (f.Line, f.Expression)).ToList();
    }

    static string NameOf(SyntaxNode e) => e switch
    {
        MemberAccessExpressionSyntax m => m.Name.Identifier.Text,
        SimpleNameSyntax n => n.Identifier.Text,
        QualifiedNameSyntax q => q.Right.Identifier.Text,
        _ => "",
    };

    sealed class FileScan(SyntaxNode root, string file)
    {
        public readonly List<Finding> Found = [];
        readonly HashSet<SyntaxNode> _seen = [];

        /// <summary>Text built here: its non-constant holes and operands are the findings, not the text itself.</summary>
        static bool BuiltHere(ExpressionSyntax e) => Unwrap(e) is InterpolatedStringExpressionSyntax or LiteralExpressionSyntax
            || Unwrap(e) is BinaryExpressionSyntax b && b.IsKind(SyntaxKind.AddExpression);

        static ExpressionSyntax Unwrap(ExpressionSyntax e) => e is ParenthesizedExpressionSyntax p ? Unwrap(p.Expression) : e;

        public void Walk(ExpressionSyntax e, List<Finding> into)
        {
            switch (e)
            {
                case LiteralExpressionSyntax:
                    return;
                case InterpolatedStringExpressionSyntax s:
                    foreach (var hole in s.Contents.OfType<InterpolationSyntax>()) Walk(hole.Expression, into);
                    return;
                case BinaryExpressionSyntax b when b.IsKind(SyntaxKind.AddExpression):
                    Walk(b.Left, into);
                    Walk(b.Right, into);
                    return;
                case ConditionalExpressionSyntax c:
                    Walk(c.WhenTrue, into);
                    Walk(c.WhenFalse, into);
                    return;
                case ParenthesizedExpressionSyntax p:
                    Walk(p.Expression, into);
                    return;
                case InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.Text: "nameof" } }:
                    return;
                case IdentifierNameSyntax id:
                    WalkIdentifier(id, into);
                    return;
                default:
                    Report(e, into);
                    return;
            }
        }

        void Report(ExpressionSyntax e, List<Finding> into) =>
            into.Add(new Finding(file, e.GetLocation().GetLineSpan().StartLinePosition.Line + 1, e.ToString()));

        void WalkIdentifier(IdentifierNameSyntax id, List<Finding> into)
        {
            var name = id.Identifier.Text;
            var member = id.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or BasePropertyDeclarationSyntax);
            var scope = member ?? root;

            // A foreach variable: every element of the list it runs over.
            var loop = id.Ancestors().FirstOrDefault(a =>
                a is ForEachStatementSyntax f && f.Identifier.Text == name
                || a is ForEachVariableStatementSyntax v && Designated(v.Variable).Contains(name));
            if (loop is not null)
            {
                var (collection, index) = loop is ForEachStatementSyntax f ? (f.Expression, -1)
                    : (((ForEachVariableStatementSyntax)loop).Expression, Designated(((ForEachVariableStatementSyntax)loop).Variable).IndexOf(name));
                var elements = Elements(collection, scope);
                if (elements is null) { Report(id, into); return; }
                FromSources(id, elements.Select(e => index < 0 ? e : e is TupleExpressionSyntax t && index < t.Arguments.Count ? t.Arguments[index].Expression : e).ToList(), into);
                return;
            }

            var local = scope.DescendantNodes().OfType<VariableDeclaratorSyntax>()
                .Where(v => v.Identifier.Text == name && v.SpanStart < id.SpanStart).OrderByDescending(v => v.SpanStart).FirstOrDefault();
            if (local is not null)
            {
                if (local.Parent?.Parent is LocalDeclarationStatementSyntax { IsConst: true }) return;
                var sources = new List<ExpressionSyntax>();
                if (local.Initializer is not null) sources.Add(local.Initializer.Value);
                sources.AddRange(scope.DescendantNodes().OfType<AssignmentExpressionSyntax>()
                    .Where(a => a.Left is IdentifierNameSyntax l && l.Identifier.Text == name && (a.IsKind(SyntaxKind.SimpleAssignmentExpression) || a.IsKind(SyntaxKind.AddAssignmentExpression)))
                    .Select(a => a.Right));
                if (sources.Count == 0) { Report(id, into); return; }
                FromSources(id, sources, into);
                return;
            }

            var parameter = member?.DescendantNodes().OfType<ParameterSyntax>().FirstOrDefault(p => p.Identifier.Text == name && p.Parent?.Parent == member);
            if (parameter is not null)
            {
                // A parameter: what the same file's callers pass (the SQL helpers are private to their file).
                var method = member switch { MethodDeclarationSyntax m => m.Identifier.Text, LocalFunctionStatementSyntax l => l.Identifier.Text, _ => null };
                var position = ((ParameterListSyntax)parameter.Parent!).Parameters.IndexOf(parameter);
                var arguments = method is null ? [] : root.DescendantNodes().OfType<InvocationExpressionSyntax>()
                    .Where(i => NameOf(i.Expression) == method)
                    .Select(i => i.ArgumentList.Arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.Text == name)
                        ?? (i.ArgumentList.Arguments.Count > position && i.ArgumentList.Arguments[position].NameColon is null ? i.ArgumentList.Arguments[position] : null))
                    .OfType<ArgumentSyntax>().Select(a => a.Expression).ToList();
                if (arguments.Count == 0) { Report(id, into); return; }
                foreach (var argument in arguments) Walk(argument, into);
                return;
            }

            var field = root.DescendantNodes().OfType<FieldDeclarationSyntax>()
                .SelectMany(f => f.Declaration.Variables.Select(v => (Field: f, Variable: v))).FirstOrDefault(x => x.Variable.Identifier.Text == name);
            if (field.Variable is not null)
            {
                if (field.Field.Modifiers.Any(SyntaxKind.ConstKeyword)) return;
                if (field.Field.Modifiers.Any(SyntaxKind.ReadOnlyKeyword) && field.Variable.Initializer is not null)
                {
                    FromSources(id, [field.Variable.Initializer.Value], into);
                    return;
                }
            }
            Report(id, into);
        }

        /// <summary>Text built where it is declared passes on its own findings; anything else is reported by the name it is used under.</summary>
        void FromSources(IdentifierNameSyntax id, List<ExpressionSyntax> sources, List<Finding> into)
        {
            foreach (var source in sources)
            {
                if (!_seen.Add(source)) continue;
                var found = new List<Finding>();
                Walk(source, found);
                if (found.Count == 0) continue;
                if (BuiltHere(source)) into.AddRange(found);
                else Report(id, into);
            }
        }

        /// <summary>The elements of an inline list, or of a local or field initialised with one; null when they cannot be known here.</summary>
        List<ExpressionSyntax>? Elements(ExpressionSyntax collection, SyntaxNode scope)
        {
            switch (collection)
            {
                case CollectionExpressionSyntax c:
                    return c.Elements.OfType<ExpressionElementSyntax>().Select(e => e.Expression).ToList();
                case ImplicitArrayCreationExpressionSyntax a:
                    return a.Initializer.Expressions.ToList();
                case ArrayCreationExpressionSyntax { Initializer: { } init }:
                    return init.Expressions.ToList();
                case IdentifierNameSyntax id:
                    var declared = scope.DescendantNodes().OfType<VariableDeclaratorSyntax>().FirstOrDefault(v => v.Identifier.Text == id.Identifier.Text)
                        ?? root.DescendantNodes().OfType<FieldDeclarationSyntax>()
                            .Where(f => f.Modifiers.Any(SyntaxKind.ReadOnlyKeyword) || f.Modifiers.Any(SyntaxKind.ConstKeyword))
                            .SelectMany(f => f.Declaration.Variables).FirstOrDefault(v => v.Identifier.Text == id.Identifier.Text);
                    return declared?.Initializer is { } i ? Elements(i.Value, scope) : null;
                default:
                    return null;
            }
        }

        static List<string> Designated(ExpressionSyntax variable) => variable is DeclarationExpressionSyntax { Designation: ParenthesizedVariableDesignationSyntax p }
            ? p.Variables.Select(v => v is SingleVariableDesignationSyntax s ? s.Identifier.Text : "").ToList()
            : variable is TupleExpressionSyntax t ? t.Arguments.Select(a => a.Expression is DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax s } ? s.Identifier.Text : "").ToList()
            : [];
    }

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Shiliu.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("Shiliu.slnx not found above the test output");
    }
}

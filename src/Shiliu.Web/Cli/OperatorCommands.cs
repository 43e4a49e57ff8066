using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Accounts;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Keys;
using Shiliu.Core.Residents;
using Shiliu.Core.Seed;
using Shiliu.Web.Hosting;

namespace Shiliu.Web.Cli;

/// <summary>
/// Operator verbs on the same executable: <c>migrate</c>, <c>seed-demo</c>, <c>create-user</c>, <c>reset-password</c>, <c>verify-audit</c>,
/// <c>rebuild-statistics</c>, <c>retention</c>, <c>check-keys</c>, <c>generate-keys</c>, <c>rotate-keys</c>, <c>backup</c>, <c>check-backup</c>.
/// Each prints what it did, is audited as an operator command, and exits non-zero with a message on failure.
/// </summary>
public static class OperatorCommands
{
    static readonly string[] Verbs = ["migrate", "seed-demo", "create-user", "reset-password", "verify-audit", "import-residents", "rebuild-statistics",
        "retention", "check-keys", "generate-keys", "rotate-keys", "backup", "check-backup", "help"];

    public static bool IsVerb(string arg) => Verbs.Contains(arg);

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        sp.GetRequiredService<CallerAccessor>().Override = Caller.System($"运维命令 {args[0]}");
        try
        {
            switch (args[0])
            {
                case "migrate":
                    await using (var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync())
                    {
                        var applied = await DatabaseStartup.MigrateAsync(db, sp.GetRequiredService<DatabaseSettings>());
                        await EnsureKeysAsync(sp, db);
                        Console.WriteLine(applied.Count == 0 ? "数据库已是最新结构，无需迁移。" : $"已应用 {applied.Count} 个迁移：{string.Join(", ", applied)}");
                        var seeded = await sp.GetRequiredService<Seeder>().SeedBaseAsync(Environment.GetEnvironmentVariable("SHILIU_ADMIN_PASSWORD"));
                        if (Startup.WriteAdminPassword(app.Configuration, app.Environment.ContentRootPath, seeded) is { } note) seeded.Add(note);
                        foreach (var l in seeded.Lines) Console.WriteLine(l);
                    }
                    return 0;
                case "seed-demo":
                    if (Seeder.DemoRefusal(app.Environment.IsProduction(), app.Configuration.GetValue("Shiliu:TrainingServer", false)) is { } refusal)
                        throw new RuleViolation(OperatorErrors.SeedInProduction, refusal);
                    await MigrateQuietlyAsync(sp);
                    if (args.Length > 1) return await SeedDemoSizeAsync(sp, args);
                    var lines = (await sp.GetRequiredService<Seeder>().SeedDemoAsync(Environment.GetEnvironmentVariable("SHILIU_DEMO_PASSWORD"),
                        Startup.DemoLedgers(app.Configuration))).Lines;
                    Console.WriteLine(lines.Count == 0 ? "演示数据已存在，未做改动。" : string.Join(Environment.NewLine, lines));
                    if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SHILIU_DEMO_PASSWORD")))
                        Console.WriteLine("提示：设置环境变量 SHILIU_DEMO_PASSWORD 可同时创建各角色的演示账号。");
                    return 0;
                case "create-user":
                    return await CreateUserAsync(sp, args);
                case "reset-password":
                    return await ResetPasswordAsync(sp, args);
                case "verify-audit":
                    return await VerifyAuditAsync(sp);
                case "import-residents":
                    return await ImportResidentsAsync(sp, args);
                case "rebuild-statistics":
                    return await RebuildStatisticsAsync(sp);
                case "retention":
                    return await RetentionAsync(sp, args);
                case "check-keys":
                    return await CheckKeysAsync(sp);
                case "generate-keys":
                    return GenerateKeys(sp, args);
                case "rotate-keys":
                    return await RotateKeysAsync(sp, args);
                case "backup":
                    return await BackupAsync(sp, args);
                case "check-backup":
                    return await CheckBackupAsync(sp, args);
                default:
                    PrintHelp();
                    return 0;
            }
        }
        catch (RuleViolation v)
        {
            Console.Error.WriteLine($"失败：{v.Message}");
            return 2;
        }
        catch (Exception e) when (e is InvalidOperationException or DbUpdateException or System.Data.Common.DbException)
        {
            Console.Error.WriteLine($"失败：{e.Message}");
            return 1;
        }
    }

    /// <summary>
    /// Runs the import's queued step here; if an app node sharing the database took it first, waits for that node to finish.
    /// </summary>
    static async Task<Shiliu.Core.Residents.Import.ImportView> RunImportStepAsync(Shiliu.Core.Platform.Jobs.JobRunner runner,
        Shiliu.Core.Residents.Import.ResidentImportService imports, Guid job)
    {
        await runner.RunPendingAsync(Shiliu.Core.Residents.Import.ResidentImportService.JobKind, job.ToString());
        var view = await imports.GetAsync(job);
        while (view.Running)
        {
            await Task.Delay(250);
            view = await imports.GetAsync(job);
        }
        return view;
    }

    static async Task MigrateQuietlyAsync(IServiceProvider sp)
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
        await DatabaseStartup.MigrateAsync(db, sp.GetRequiredService<DatabaseSettings>());
        await EnsureKeysAsync(sp, db);
        var seeded = await sp.GetRequiredService<Seeder>().SeedBaseAsync(Environment.GetEnvironmentVariable("SHILIU_ADMIN_PASSWORD"));
        if (Startup.WriteAdminPassword(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>().ContentRootPath, seeded) is { } note)
            Console.WriteLine(note);
    }

    static Task EnsureKeysAsync(IServiceProvider sp, ShiliuDb db) =>
        KeyCheck.EnsureAsync(db, sp.GetRequiredService<KeyRing>(), sp.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>());

    /// <summary>Lists every key version the node has and the database needs; exit 3 when one is missing or different.</summary>
    static async Task<int> CheckKeysAsync(IServiceProvider sp)
    {
        var keys = sp.GetRequiredService<KeyRing>();
        await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
        await DatabaseStartup.MigrateAsync(db, sp.GetRequiredService<DatabaseSettings>());
        var status = await KeyCheck.StatusAsync(db, keys);
        Console.WriteLine($"密钥目录：{keys.Directory}");
        foreach (var s in status)
            Console.WriteLine($"  {KeyRing.ChineseName(s.Purpose)} 第 {s.Version} 版：本机 {s.Fingerprint ?? "缺失"}，数据库 {s.Registered ?? "未使用"}" +
                (s.Missing ? "  ← 不一致" : s.Newest ? "  （新数据使用此版）" : ""));
        var missing = status.Where(s => s.Missing).ToList();
        if (missing.Count == 0)
        {
            Console.WriteLine("密钥完整：数据库用过的每一把密钥本机都有。");
            return 0;
        }
        Console.Error.WriteLine(KeyCheck.MissingMessage(keys, missing));
        return 3;
    }

    /// <summary>
    /// Writes the next version of each chosen purpose's key into the key directory; nothing uses it until the nodes restart
    /// with it. Copy the files to every node (and the key backup) first.
    /// </summary>
    static int GenerateKeys(IServiceProvider sp, string[] args)
    {
        var keys = sp.GetRequiredService<KeyRing>();
        var wanted = Options(args).GetValueOrDefault("purpose") ?? "all";
        var purposes = Enum.GetValues<KeyPurpose>().Where(p => wanted == "all" || KeyRing.Name(p) == wanted).ToList();
        if (purposes.Count == 0) throw new RuleViolation(OperatorErrors.KeyPurpose, $"没有用途 {wanted}，可选：all、{string.Join("、", Enum.GetValues<KeyPurpose>().Select(KeyRing.Name))}");
        Directory.CreateDirectory(keys.Directory);
        foreach (var p in purposes)
        {
            var path = Path.Combine(keys.Directory, KeyRing.FileName(p, keys.Newest(p) + 1));
            var fingerprint = KeyRing.Fingerprint(KeyRing.WriteNew(path));
            Console.WriteLine($"已生成 {KeyRing.ChineseName(p)}：{path}（指纹 {fingerprint}）");
        }
        Console.WriteLine("下一步：把新密钥文件复制到每个节点的密钥目录并备份，重启所有节点（新数据即用新密钥），再运行 rotate-keys 重新加密已有数据。");
        return 0;
    }

    /// <summary>
    /// Re-seals every column the modules declared sealed whose values were sealed or hashed under older key versions, in
    /// batches (--batch, default 1000), and reports each column by its label.
    /// </summary>
    static async Task<int> RotateKeysAsync(IServiceProvider sp, string[] args)
    {
        var batch = int.TryParse(Options(args).GetValueOrDefault("batch"), out var b) && b > 0 ? b : 1000;
        await MigrateQuietlyAsync(sp);
        var pii = sp.GetRequiredService<Shiliu.Core.Residents.PersonalData>();
        var started = System.Diagnostics.Stopwatch.StartNew();
        var done = await KeyRotation.ResealAsync(sp.GetRequiredService<IDbContextFactory<ShiliuDb>>(), pii, Shiliu.Core.ShiliuModules.Catalog.SealedColumns,
            batch, (label, n) => Console.WriteLine($"  {label}：已重新加密 {n:N0} 条……"));
        var versions = $"个人信息密钥第 {pii.SealVersion} 版、查找密钥第 {pii.HashVersion} 版";
        await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
        db.Audit(AuditEvents.Operator, $"命令行轮换密钥：{string.Join("，", done.Select(d => $"{d.Label} {d.Count} 条"))}改用{versions}");
        await db.SaveChangesAsync();
        foreach (var d in done) Console.WriteLine($"{d.Label}：已重新加密 {d.Count:N0} 条");
        Console.WriteLine($"共重新加密 {done.Sum(d => d.Count):N0} 条（{versions}，每批 {batch} 条，用时 {started.Elapsed.TotalSeconds:0.0} 秒）。");
        Console.WriteLine("审计日志不重签（只追加），旧版审计密钥须继续保留。");
        return 0;
    }

    /// <summary>A consistent snapshot of the database and a copy of the stored files, with a manifest; then the drill on it.</summary>
    static async Task<int> BackupAsync(IServiceProvider sp, string[] args)
    {
        if (!Options(args).TryGetValue("to", out var parent))
        {
            Console.Error.WriteLine("用法：backup --to 备份目录");
            return 64;
        }
        var backups = sp.GetRequiredService<Shiliu.Core.Platform.Backup.BackupService>();
        var started = System.Diagnostics.Stopwatch.StartNew();
        var (folder, manifest) = await backups.BackupAsync(parent);
        Console.WriteLine($"已备份到 {folder}：数据库 {manifest.Database.Bytes:N0} 字节（{manifest.Tables.Values.Sum():N0} 行，审计日志到第 {manifest.AuditLastId:N0} 条），" +
                          $"文件 {manifest.Files.Count:N0} 个（{manifest.Files.Sum(f => f.Bytes):N0} 字节），用时 {started.Elapsed.TotalSeconds:0.0} 秒。");
        Console.WriteLine("备份不含密钥：密钥目录须另行备份、分开保管；还原时两者缺一不可。");
        return await CheckBackupAsync(sp, ["check-backup", "--from", folder]);
    }

    /// <summary>The restore drill on a backup folder: exit 0 when it restores whole, 3 when anything differs.</summary>
    static async Task<int> CheckBackupAsync(IServiceProvider sp, string[] args)
    {
        if (!Options(args).TryGetValue("from", out var folder))
        {
            Console.Error.WriteLine("用法：check-backup --from 备份目录");
            return 64;
        }
        var check = await sp.GetRequiredService<Shiliu.Core.Platform.Backup.BackupService>().CheckAsync(folder);
        Console.WriteLine($"还原演练：{folder}");
        foreach (var line in check.Lines) Console.WriteLine("  " + line);
        Console.WriteLine(check.Ok ? "结论：备份可以完整还原。" : "结论：备份不能完整还原，见上面标 ✗ 的项。");
        return check.Ok ? 0 : 3;
    }

    static async Task<int> CreateUserAsync(IServiceProvider sp, string[] args)
    {
        var opts = Options(args);
        if (!opts.TryGetValue("user", out var userName) || !opts.TryGetValue("org", out var orgCode) || !opts.TryGetValue("role", out var role))
        {
            Console.Error.WriteLine("用法：create-user --user 用户名 --org 单位代码 --role 角色 [--name 姓名] [--password 初始密码]");
            Console.Error.WriteLine($"角色：{string.Join("、", Roles.All.Select(r => $"{r}（{Roles.ChineseName(r)}）"))}");
            return 64;
        }
        await MigrateQuietlyAsync(sp);
        await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
        var unit = await db.OrgUnits.SingleOrDefaultAsync(o => o.Code == orgCode);
        if (unit is null)
        {
            Console.Error.WriteLine($"失败：单位代码 {orgCode} 不存在");
            return 2;
        }
        var password = opts.GetValueOrDefault("password") ?? UserService.NewInitialPassword(userName);
        var id = await sp.GetRequiredService<UserService>().CreateAsOperatorAsync(userName, opts.GetValueOrDefault("name") ?? userName, unit,
            password, role, mustChange: true, demo: false);
        db.Audit(AuditEvents.Operator, $"命令行创建用户 {userName}（{Roles.ChineseName(role)}，{unit.Name}）", nameof(AppUser), id.ToString(), unit.Path);
        await db.SaveChangesAsync();
        Console.WriteLine($"已创建用户 {userName}（{Roles.ChineseName(role)}，{unit.Name}）。");
        if (!opts.ContainsKey("password")) Console.WriteLine($"初始密码：{password} （仅显示这一次，首次登录须修改）");
        return 0;
    }

    /// <summary>
    /// The page's import from the command line, same checks and report: without --commit it only previews; with it the
    /// valid rows are written in one transaction. Exit 0 = no bad rows, 3 = some rows had errors (listed), 2 = refused.
    /// </summary>
    static async Task<int> ImportResidentsAsync(IServiceProvider sp, string[] args)
    {
        var commit = args.Contains("--commit");
        var opts = Options(args.Where(a => a != "--commit").ToArray());
        if (!opts.TryGetValue("file", out var file) || !opts.TryGetValue("org", out var orgCode))
        {
            Console.Error.WriteLine("用法：import-residents --file 文件.xlsx --org 社区或网格代码 [--commit]");
            return 2;
        }
        if (!File.Exists(file))
        {
            Console.Error.WriteLine($"失败：找不到文件 {file}");
            return 2;
        }
        await MigrateQuietlyAsync(sp);
        Guid orgId;
        await using (var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync())
            orgId = await db.OrgUnits.Where(o => o.Code == orgCode).Select(o => o.Id).SingleOrDefaultAsync() is var id && id != Guid.Empty
                ? id : throw new RuleViolation(Shiliu.Core.Residents.Import.ImportErrors.File, $"找不到代码为 {orgCode} 的单位");
        var imports = sp.GetRequiredService<Shiliu.Core.Residents.Import.ResidentImportService>();
        var started = System.Diagnostics.Stopwatch.StartNew();
        Guid job;
        await using (var f = File.OpenRead(file))
            job = await imports.StartAsync(f, Path.GetFileName(file), orgId);
        var runner = sp.GetRequiredService<Shiliu.Core.Platform.Jobs.JobRunner>();
        var view = await RunImportStepAsync(runner, imports, job);
        if (view.Status == Shiliu.Core.Residents.ImportStatus.Failed) throw new RuleViolation(Shiliu.Core.Residents.Import.ImportErrors.File, view.Error ?? "检查失败");
        Console.WriteLine($"文件：{view.FileName}（{view.FileSize:N0} 字节） → {view.UnitName}");
        Console.WriteLine($"检查：共 {view.TotalRows:N0} 行，可导入 {view.ValidRows:N0}，已登记（跳过）{view.ExistingRows:N0}，有错误 {view.ErrorRows:N0}（{started.Elapsed.TotalSeconds:0.0} 秒）");
        foreach (var e in view.Errors.Take(100)) Console.WriteLine($"  第{e.Row}行 {e.Column}：{e.Message}");
        if (view.ErrorRows > view.Errors.Count) Console.WriteLine($"  ……另有错误未列出，完整清单见错误数据表");
        if (view.HasErrorSheet)
        {
            var (content, name) = await imports.ErrorSheetAsync(job);
            var outPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, name);
            await using (content)
            await using (var o = File.Create(outPath))
                await content.CopyToAsync(o);
            Console.WriteLine($"错误数据表（改正后可直接再导入）：{outPath}");
        }
        if (commit && view.ValidRows > 0)
        {
            await imports.CommitAsync(job);
            view = await RunImportStepAsync(runner, imports, job);
            if (view.Status != Shiliu.Core.Residents.ImportStatus.Committed)
            {
                if (view.Status == Shiliu.Core.Residents.ImportStatus.Previewed) await imports.CancelAsync(job);
                throw new RuleViolation(Shiliu.Core.Residents.Import.ImportErrors.File, view.Error ?? "写入失败");
            }
            Console.WriteLine($"已导入 {view.InsertedRows:N0} 人（共用时 {started.Elapsed.TotalSeconds:0.0} 秒）。");
        }
        else if (commit)
        {
            Console.WriteLine("没有可以导入的行。");
            await imports.CancelAsync(job);
        }
        else
        {
            Console.WriteLine("仅检查，未写入。加 --commit 写入可导入的行。");
            await imports.CancelAsync(job);
        }
        return view.ErrorRows > 0 ? 3 : 0;
    }

    /// <summary>For the admin accounts the web pages may not reset (三权分立), and for a locked-out sole administrator.</summary>
    static async Task<int> ResetPasswordAsync(IServiceProvider sp, string[] args)
    {
        if (!Options(args).TryGetValue("user", out var userName))
        {
            Console.Error.WriteLine("用法：reset-password --user 用户名");
            return 64;
        }
        await MigrateQuietlyAsync(sp);
        await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
        var id = await db.Users.Where(u => u.UserName == userName).Select(u => (Guid?)u.Id).SingleOrDefaultAsync();
        if (id is null)
        {
            Console.Error.WriteLine($"失败：用户 {userName} 不存在");
            return 2;
        }
        var password = await sp.GetRequiredService<UserService>().ResetAsOperatorAsync(id.Value);
        db.Audit(AuditEvents.Operator, $"命令行重置用户 {userName} 的密码", nameof(AppUser), id.ToString());
        await db.SaveChangesAsync();
        Console.WriteLine($"已重置用户 {userName} 的密码，原有会话和访问令牌已失效。");
        Console.WriteLine($"临时密码：{password} （仅显示这一次，登录后须修改）");
        return 0;
    }

    static async Task<int> VerifyAuditAsync(IServiceProvider sp)
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
        var result = await sp.GetRequiredService<AuditChain>().VerifyAsync(db, sp.GetRequiredService<AuditAnchors>().Read());
        if (result.Intact)
        {
            Console.WriteLine(result.Text);
            return 0;
        }
        Console.Error.WriteLine(result.Text);
        if (result.BrokenIds.Count > 0)
            Console.Error.WriteLine($"失败记录编号：{string.Join(", ", result.BrokenIds.Take(50))}{(result.BrokenIds.Count > 50 ? " …" : "")}");
        foreach (var p in result.Problems) Console.Error.WriteLine($"锚点不符：{p}");
        return 3;
    }

    /// <summary>Recounts every tally the modules declare (population and visits, services, questionnaires) from their rows, after a restore or a repair.</summary>
    static async Task<int> RebuildStatisticsAsync(IServiceProvider sp)
    {
        await MigrateQuietlyAsync(sp);
        await using var db = await sp.GetRequiredService<IDbContextFactory<ShiliuDb>>().CreateDbContextAsync();
        var done = new List<string>();
        foreach (var tally in Shiliu.Core.ShiliuModules.Catalog.Tallies)
            done.Add($"{tally.Name}（{await tally.RebuildAllAsync(db, CancellationToken.None)} 组）");
        db.Audit(AuditEvents.Operator, $"命令行重建人口统计等预计数：{string.Join("，", done)}");
        await db.SaveChangesAsync();
        Console.WriteLine($"已重建 {string.Join("，", done)}。");
        return 0;
    }

    /// <summary>
    /// Runs the approved retention schedule: always prints what it names first (per category and unit); deletes only with
    /// --commit. The audit log is not part of any schedule.
    /// </summary>
    static async Task<int> RetentionAsync(IServiceProvider sp, string[] args)
    {
        await MigrateQuietlyAsync(sp);
        var retention = sp.GetRequiredService<Shiliu.Core.Residents.RetentionService>();
        var commit = args.Skip(1).Contains("--commit");
        var plan = await retention.PlanAsync();
        Console.WriteLine($"个人信息保存期限（{plan.Today:yyyy年M月d日}）{(commit ? "" : "——试运行，不做改动")}：");
        foreach (var c in plan.Categories)
        {
            Console.WriteLine($"  {c.CategoryName}：{c.ArchiveAfterMonths}个月后归档，{c.DeleteAfterMonths}个月后删除 —— 将归档 {c.ToArchive.Count} 人，将删除 {c.ToDelete.Count} 人");
            foreach (var u in c.Units) Console.WriteLine($"    {u.UnitName}：归档 {u.Archive} 人，删除 {u.Delete} 人");
        }
        foreach (var n in plan.NotApproved) Console.WriteLine($"  {n}：保存期限尚未经县领导小组办公室审批，不处理");
        Console.WriteLine("  审计日志不在保存期限之内，不会删除。");
        if (!commit)
        {
            Console.WriteLine($"共将归档 {plan.Archive} 人、删除 {plan.Delete} 人。核对无误后加 --commit 执行。");
            return 0;
        }
        var done = await retention.RunAsync();
        Console.WriteLine($"已归档 {done.Archive} 人、删除 {done.Delete} 人，已记入审计日志。");
        return 0;
    }

    /// <summary><c>seed-demo --size county|province</c>: the demo county first (if not there yet), then its population at that size.</summary>
    static async Task<int> SeedDemoSizeAsync(IServiceProvider sp, string[] args)
    {
        var opts = Options(args);
        if (!opts.TryGetValue("size", out var text) || DemoPopulation.Parse(text) is not { } size)
            throw new RuleViolation(OperatorErrors.SeedSize, "用法：seed-demo --size county（县级规模，约10万居民）或 seed-demo --size province（省级规模，约100万居民）");
        foreach (var l in (await sp.GetRequiredService<Seeder>().SeedDemoAsync(Environment.GetEnvironmentVariable("SHILIU_DEMO_PASSWORD"), ledgers: false)).Lines)
            Console.WriteLine(l);
        int? count = null;
        if (opts.TryGetValue("count", out var c))
            count = int.TryParse(c, out var n) && n >= 1 && n <= DemoPopulation.TargetOf(size) ? n
                : throw new RuleViolation(OperatorErrors.SeedSize, $"--count 须为1至{DemoPopulation.TargetOf(size)}之间的整数");
        Console.WriteLine($"正在生成{DemoPopulation.SizeName(size)}演示居民（目标 {count ?? DemoPopulation.TargetOf(size):N0} 人），请稍候……");
        var r = await DemoPopulation.SeedAsync(sp, size, count);
        Console.WriteLine(r.Added == 0
            ? $"{r.SizeName}演示居民已有 {r.Before:N0} 人，未做改动。"
            : $"已生成{r.SizeName}演示居民 {r.Added:N0} 人（分布在演示县 {r.Communities} 个社区，共 {r.Before + r.Added:N0} 人，用时 {r.Took.TotalSeconds:0} 秒），人口统计已重建。");
        return 0;
    }

    static Dictionary<string, string> Options(string[] args)
    {
        var d = new Dictionary<string, string>();
        for (var i = 1; i + 1 < args.Length; i += 2)
            if (args[i].StartsWith("--", StringComparison.Ordinal)) d[args[i][2..]] = args[i + 1];
        return d;
    }

    static void PrintHelp() => Console.WriteLine("""
        石榴 运维命令：
          migrate                         应用数据库迁移并创建基础数据（角色、字典、系统管理员）
          seed-demo                       创建演示县的乡镇、社区、网格（设置 SHILIU_DEMO_PASSWORD 时同时创建演示账号）
          seed-demo --size county|province [--count N]
                                          再按规模批量生成演示居民（供性能测试和看板演示）：county 县级规模约10万人，
                                          province 省级规模约100万人；分布在演示县各社区，新平县民族构成，身份证号为虚构的
                                          有效号码（530427），生成后重建人口统计；重复运行不会重复生成；
                                          --count N 只生成到 N 人（试运行用）
          create-user --user U --org CODE --role ROLE [--name 姓名] [--password 密码]
          reset-password --user U         重置用户密码（含管理员账号；页面上系统管理员不能重置管理员密码），打印一次性临时密码
          verify-audit                    校验审计日志哈希链，发现篡改时以非零状态退出
          import-residents --file F --org CODE [--commit]
                                          按导入模板检查居民 Excel（打印错误行和列）；加 --commit 写入可导入的行
          rebuild-statistics              重建预先统计的数字：各社区（村）的人口统计（按居民档案和走访记录）、服务事项统计等
          retention [--commit]            按县领导小组办公室审批的保存期限，列出将归档、将删除的迁出和死亡居民（试运行）；加 --commit 执行并记入审计日志
          check-keys                      核对本机密钥与数据库用过的密钥（缺失或不一致时以非零状态退出）
          generate-keys [--purpose P]     生成各用途（或 P：audit、pii、lookup、staging、dataprotection）的下一版密钥文件
          rotate-keys [--batch N]         用最新版密钥分批重新加密各模块已有的个人信息
          backup --to DIR                 备份数据库（一致的快照）和上传的文件，写清单（SHA-256、各表行数、审计日志末条），随后做还原演练
          check-backup --from DIR         还原演练：校验文件、还原到临时数据库、完整性检查、核对行数、校验审计日志哈希链
        """);
}

/// <summary>Refusals of the operator verbs themselves (printed, with exit code 2).</summary>
public static class OperatorErrors
{
    public static readonly ErrorCode SeedInProduction = ErrorCode.Invalid("seed.production");
    public static readonly ErrorCode KeyPurpose = ErrorCode.Invalid("keys.purpose");
    public static readonly ErrorCode SeedSize = ErrorCode.Invalid("seed.size");
}

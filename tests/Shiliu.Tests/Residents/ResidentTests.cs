using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shiliu.Core.Auditing;
using Shiliu.Core.Common;
using Shiliu.Core.Data;
using Shiliu.Core.Residents;
using Shiliu.Tests.Infrastructure;

namespace Shiliu.Tests.Residents;

public sealed class ResidentTests
{
    [Fact]
    public void Id_numbers_are_checked_by_gb_11643_and_old_15_digit_numbers_converted()
    {
        // The standard's own example: Beijing 朝阳, born 1949-12-31, a woman, check character X.
        Assert.True(IdNumber.TryParse("11010519491231002X", out var p, out _));
        Assert.Equal((new DateOnly(1949, 12, 31), Gender.Female, false), (p!.BirthDate, p.Gender, p.Converted));
        Assert.True(IdNumber.TryParse(" １１０１０５１９４９１２３１００２ｘ ", out p, out _));
        Assert.Equal("11010519491231002X", p!.Value);
        Assert.True(IdNumber.TryParse("110105491231002", out p, out _));
        Assert.Equal(("11010519491231002X", true), (p!.Value, p.Converted));
        Assert.False(IdNumber.TryParse("110105194912310021", out _, out var err));
        Assert.Equal("身份证号校验码错误（末位应为X），请核对是否录错", err);
        Assert.False(IdNumber.TryParse("11010519491331002X", out _, out err));
        Assert.Contains("出生日期“19491331”不是有效日期", err);
        // Days that do not exist in their month, and birth years before 1900, are refused (the check digit is right for each).
        foreach (var body in new[] { "11010519490229002", "11010520000230002", "11010519490431002", "11010518991231002", "11010519490001002" })
        {
            Assert.False(IdNumber.TryParse(body + IdNumber.CheckChar(body), out _, out err));
            Assert.Contains($"出生日期“{body[6..14]}”不是有效日期", err);
        }
        Assert.True(IdNumber.TryParse("11010520000229002" + IdNumber.CheckChar("11010520000229002"), out p, out _));
        Assert.Equal(new DateOnly(2000, 2, 29), p!.BirthDate);
        Assert.False(IdNumber.TryParse("11010519491231002x1", out _, out _));
        Assert.False(IdNumber.TryParse("1101051949A231002X", out _, out err));
        Assert.Equal("身份证号只能由数字和末位的X组成", err);
        Assert.False(IdNumber.TryParse("1101051949", out _, out err));
        Assert.Equal("身份证号应为18位（现为10位）", err);
        Assert.Equal("110105********002X", IdNumber.Mask("11010519491231002X"));
        Assert.True(Phone.TryNormalize("+86 138-0013-8000", out var phone, out _));
        Assert.Equal(("13800138000", "138****8000"), (phone, Phone.Mask(phone)));
        Assert.False(Phone.TryNormalize("12345", out _, out _));
        Assert.False(Phone.TryNormalize("12800138000", out _, out _)); // no mobile number starts 12
        Assert.True(Phone.TryNormalize("１３８００１３８０００", out phone, out _));
        Assert.Equal("13800138000", phone);
    }

    /// <summary>
    /// #23: MOD 11-2 catches every single-character error. Each of the 18 positions of several valid numbers is changed to
    /// every other digit and to X; each changed number is checked here against the standard's weights, and every one is
    /// refused, naming the broken date where the date no longer exists, else the check character.
    /// </summary>
    [Fact]
    public void Every_single_character_change_of_a_valid_id_number_is_refused()
    {
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        bool ChecksumHolds(string id) => id[..17].All(char.IsAsciiDigit)
            && "10X98765432"[id[..17].Select((c, i) => (c - '0') * weights[i]).Sum() % 11] == id[17];
        // The standard's example, a number ending 0, one born on 29 February, and generated numbers of both sexes.
        var valid = new List<string> { "11010519491231002X", "530427198001010190", "530427200002290016", "530427200002290024" };
        valid.AddRange(Enumerable.Range(0, 20).Select(i => Ids.Next(new DateOnly(1930, 1, 1).AddDays(i * 1_511), male: i % 2 == 0)));
        var changes = 0;
        foreach (var id in valid)
        {
            Assert.True(ChecksumHolds(id), id);
            Assert.True(IdNumber.TryParse(id, out var parsed, out var error), $"{id}: {error}");
            Assert.Equal(id, parsed!.Value);
            for (var position = 0; position < 18; position++)
                foreach (var c in "0123456789X")
                {
                    if (c == id[position]) continue;
                    var changed = id[..position] + c + id[(position + 1)..];
                    changes++;
                    Assert.False(ChecksumHolds(changed), $"{changed} passes MOD 11-2: the test's own check is wrong");
                    Assert.False(IdNumber.TryParse(changed, out _, out error), $"{changed} (position {position + 1} of {id}) was accepted");
                    var dateExists = DateOnly.TryParseExact(changed[6..14], "yyyyMMdd", out var d) && d.Year >= 1900;
                    var expected = c == 'X' && position < 17 ? "只能由数字和末位的X组成"
                        : position is >= 6 and < 14 && !dateExists ? $"出生日期“{changed[6..14]}”不是有效日期"
                        : "校验码错误";
                    Assert.Contains(expected, error);
                }
        }
        Assert.Equal(valid.Count * 18 * 10, changes);
    }

    /// <summary>#23: generated test numbers parse back to the birth date and sex they were made with.</summary>
    [Fact]
    public void Generated_id_numbers_round_trip_through_the_parser()
    {
        for (var i = 0; i < 200; i++)
        {
            var birth = new DateOnly(1920, 2, 29).AddDays(i * 181);
            var id = Ids.Next(birth, male: i % 3 != 0);
            Assert.True(IdNumber.TryParse(id, out var p, out var error), $"{id}: {error}");
            Assert.Equal((id, birth, i % 3 != 0 ? Gender.Male : Gender.Female, "530427", false), (p!.Value, p.BirthDate, p.Gender, p.AreaCode, p.Converted));
        }
    }

    /// <summary>#23: "today" is China's date on the app's clock; a number born after it is refused, one born today is not.</summary>
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task An_id_number_born_after_today_in_china_is_refused(DbProvider kind)
    {
        // 17:00 UTC is already 01:00 the next day in China: the two calendars disagree, and China's decides.
        var now = new DateTimeOffset(DateTime.UtcNow.Date.AddHours(17), TimeSpan.Zero);
        await using var app = await ShiliuApp.StartAsync(kind, new FakeTimeProvider(now));
        var chinaToday = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1);
        var unit = await app.UnitAsync("530427001001");
        var tomorrow = Floating(unit.Id, Ids.Next(chinaToday.AddDays(1)));
        var refused = await app.AsAsync("community", async sp =>
            await Assert.ThrowsAsync<RuleViolation>(() => sp.GetRequiredService<ResidentService>().CreateAsync(tomorrow)));
        Assert.Equal("身份证号中的出生日期晚于今天", refused.Message);
        Assert.Equal(["idNumber"], refused.Fields.Keys);
        var yearAhead = Floating(unit.Id, Ids.Next(chinaToday.AddYears(1)));
        await app.AsAsync("community", async sp =>
            Assert.Equal("身份证号中的出生日期晚于今天", (await Assert.ThrowsAsync<RuleViolation>(() => sp.GetRequiredService<ResidentService>().CreateAsync(yearAhead))).Message));
        await using (var db = await app.SystemDbAsync()) Assert.Equal(0, await db.Residents.CountAsync());

        var bornToday = Floating(unit.Id, Ids.Next(chinaToday));
        bornToday.ArrivalDate = chinaToday;
        await app.AsAsync("community", sp => sp.GetRequiredService<ResidentService>().CreateAsync(bornToday));
        await using (var db = await app.SystemDbAsync()) Assert.Equal(chinaToday, (await db.Residents.SingleAsync()).BirthDate);
    }

    /// <summary>
    /// #37 below the ORM: after a resident is created, found by exact ID, unmasked and given a new phone, neither the ID
    /// number, nor its area code and birth date side by side, nor either phone is in the raw bytes of the SQLite file and
    /// its WAL (UTF-8 and UTF-16), nor in any column of any table as PostgreSQL returns it.
    /// </summary>
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task No_id_number_or_phone_is_in_the_database_files_or_any_column_in_plain_text(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync("530427001001");
        var id = Ids.Next(new DateOnly(1987, 9, 23), male: true);
        var (phone, newPhone) = ($"139{Random.Shared.Next(10_000_000, 99_999_999)}", $"158{Random.Shared.Next(10_000_000, 99_999_999)}");
        var req = Floating(unit.Id, id);
        req.Phone = phone;
        var s = (IServiceProvider sp) => sp.GetRequiredService<ResidentService>();
        var rid = await app.AsAsync("community", sp => s(sp).CreateAsync(req));
        Assert.Equal(1, (await app.AsAsync("community", sp => s(sp).ListAsync(new ResidentQuery { IdNumber = id, Purpose = "核对身份" }))).Total);
        Assert.Equal(id, (await app.AsAsync("community", sp => s(sp).RevealAsync(rid, "办理子女入学"))).IdNumber);
        req.Phone = newPhone;
        await app.AsAsync("community", sp => s(sp).UpdateAsync(rid, req));

        string[] secrets = [id, id[..14], phone, newPhone];
        // What the scan must find, so it is known to read the rows: the name and the masked number are stored as they are.
        string[] present = [req.Name, id[..6] + "********" + id[^4..]];
        if (kind == DbProvider.Sqlite)
        {
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(app.ConnectionString).DataSource;
            Assert.True(File.Exists(file + "-wal") && new FileInfo(file + "-wal").Length > 0, "the WAL holds the recent writes");
            void Scan(string path, bool mustHoldRows)
            {
                byte[] bytes;
                using (var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                {
                    bytes = new byte[f.Length];
                    f.ReadExactly(bytes);
                }
                foreach (var secret in secrets)
                    foreach (var encoding in new System.Text.Encoding[] { System.Text.Encoding.UTF8, System.Text.Encoding.Unicode, System.Text.Encoding.BigEndianUnicode })
                        Assert.True(bytes.AsSpan().IndexOf(encoding.GetBytes(secret)) < 0, $"{secret} in {Path.GetFileName(path)} as {encoding.WebName}");
                if (mustHoldRows)
                    foreach (var p in present) Assert.True(bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(p)) >= 0, $"{p} not found in {Path.GetFileName(path)}");
            }
            Scan(file + "-wal", mustHoldRows: true);
            Scan(file, mustHoldRows: false);
            // Folded into the main file, the rows are there and the secrets still are not.
            await using (var conn = new Microsoft.Data.Sqlite.SqliteConnection(app.ConnectionString))
            {
                await conn.OpenAsync();
                await using var cmd = conn.CreateCommand();
                cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
                await cmd.ExecuteNonQueryAsync();
            }
            Scan(file, mustHoldRows: true);
            // And in a backup: the snapshot (VACUUM INTO) and everything beside it in the backup folder.
            var parent = Path.Combine(app.DataDir, "..", $"shiliu-backups-{Guid.NewGuid():N}");
            try
            {
                var (folder, _) = await app.AsAsync(null, sp => sp.GetRequiredService<Shiliu.Core.Platform.Backup.BackupService>().BackupAsync(parent));
                var copies = Directory.GetFiles(folder, "*", SearchOption.AllDirectories);
                Assert.Contains(copies, c => c.EndsWith("database.sqlite", StringComparison.Ordinal));
                foreach (var copy in copies) Scan(copy, mustHoldRows: copy.EndsWith("database.sqlite", StringComparison.Ordinal));
            }
            finally
            {
                Directory.Delete(parent, recursive: true);
            }
            return;
        }

        // PostgreSQL: every row of every table, each as the server renders the whole row in text.
        await using var db = await app.SystemDbAsync();
        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().ToList();
        var rows = new List<string>();
        await using var pg = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await pg.OpenAsync();
        foreach (var table in tables)
        {
            await using var cmd = new Npgsql.NpgsqlCommand($"SELECT t::text FROM \"{table}\" t", pg);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        }
        foreach (var secret in secrets) Assert.DoesNotContain(rows, r => r.Contains(secret, StringComparison.Ordinal));
        foreach (var p in present) Assert.Contains(rows, r => r.Contains(p, StringComparison.Ordinal));
    }

    internal static SaveResident Floating(Guid unit, string id) => new()
    {
        OrgUnitId = unit, Name = "者玉兰", EthnicityCode = "07", IdNumber = id, Phone = "13987654321", ResidenceType = ResidenceType.Floating,
        OriginPlace = "云南省楚雄州双柏县", ArrivalDate = new DateOnly(2019, 3, 1), ExpectedStay = "2年", ArrivalReason = "务工",
        HouseholdNo = "CZ-0101", RelationToHead = "户主", Needs = ResidentNeeds.Employment | ResidentNeeds.Schooling,
    };

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_resident_is_stored_encrypted_shown_masked_found_by_exact_id_and_unmasked_only_with_an_audit(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var grid = await app.UnitAsync("530427001001-G01");
        var id = Ids.Next(new DateOnly(1990, 3, 7), male: false);
        var rid = await app.AsAsync("grid", sp => sp.GetRequiredService<ResidentService>().CreateAsync(Floating(grid.Id, id)));

        await using (var db = await app.SystemDbAsync())
        {
            var raw = await db.Residents.SingleAsync(r => r.Id == rid);
            Assert.DoesNotContain(id, raw.IdNumberCipher);
            Assert.DoesNotContain("13987654321", raw.PhoneCipher!);
            Assert.Equal((id[..6] + "********" + id[^4..], "139****4321"), (raw.IdNumberMasked, raw.PhoneMasked));
            Assert.Equal((new DateOnly(1990, 3, 7), Gender.Female), (raw.BirthDate, raw.Gender));
            var audit = await db.AuditEntries.Where(a => a.EntityType == nameof(Resident)).Select(a => a.After).ToListAsync();
            Assert.DoesNotContain(audit, a => a != null && (a.Contains(id) || a.Contains("13987654321")));
        }

        var s = (IServiceProvider sp) => sp.GetRequiredService<ResidentService>();
        var page = await app.AsAsync("community", sp => s(sp).ListAsync(new ResidentQuery { IdNumber = id.ToLowerInvariant(), Purpose = "核对身份" }));
        var row = Assert.Single(page.Items);
        Assert.Equal(("者玉兰", "彝族", "流动", 1), (row.Name, row.EthnicityName, row.TypeName, page.Total));
        Assert.DoesNotContain(id, row.IdNumberMasked);
        Assert.Equal(1, (await app.AsAsync("township", sp => s(sp).ListAsync(new ResidentQuery { Needs = ResidentNeeds.Schooling, AgeMin = 20, AgeMax = 60 }))).Total);
        Assert.Equal(0, (await app.AsAsync("township", sp => s(sp).ListAsync(new ResidentQuery { AgeMax = 18 }))).Total);

        var leader = await app.AsAsync("leader", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => s(sp).ListAsync(new ResidentQuery())));
        Assert.Equal(ResidentErrors.Denied, leader.Code);
        var county = await app.AsAsync("county", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => s(sp).RevealAsync(rid, "抽查")));
        Assert.Equal(ResidentErrors.Denied, county.Code);
        var full = await app.AsAsync("community", sp => s(sp).RevealAsync(rid, "办理子女入学"));
        Assert.Equal((id, "13987654321"), (full.IdNumber, full.Phone));
        await using (var db = await app.SystemDbAsync())
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Event == AuditEvents.PersonalDataView && a.UserName == "community" && a.Summary!.Contains("用途：办理子女入学")));
        var history = await app.AsAsync("community", sp => s(sp).HistoryAsync(rid));
        Assert.Equal(["查看完整信息", "登记"], history.Select(h => h.Action));

        var other = await app.AsAsync("community2", sp => s(sp).ListAsync(new ResidentQuery()));
        Assert.Equal(0, other.Total);
        await app.AsAsync("community2", async sp => await Assert.ThrowsAsync<NotFoundInScope>(() => s(sp).GetAsync(rid)));
        await AuditScan.AssertNoWholeIdOrBirthDateAsync(app);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Every_rule_refuses_bad_input_with_a_message_naming_it(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync("530427001001");
        async Task<string> Refused(Action<SaveResident> change)
        {
            var req = Floating(unit.Id, Ids.Next());
            change(req);
            return (await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => sp.GetRequiredService<ResidentService>().CreateAsync(req)))).Message;
        }
        Assert.Contains("校验码错误", await Refused(r => r.IdNumber = r.IdNumber[..17] + (r.IdNumber[17] == '0' ? '1' : '0')));
        Assert.Contains("与身份证号中的出生日期", await Refused(r => r.BirthDate = new DateOnly(2000, 1, 1)));
        Assert.Contains("性别（女）与身份证号", await Refused(r => { r.IdNumber = Ids.Next(male: true); r.Gender = Gender.Female; }));
        Assert.Contains("不在民族字典中", await Refused(r => r.EthnicityCode = "99x"));
        Assert.Contains("电话号码格式不正确", await Refused(r => r.Phone = "1234"));
        Assert.Contains("流动人口须填写户籍地", await Refused(r => r.OriginPlace = null));
        Assert.Contains("辖区单位人员须填写工作单位", await Refused(r => r.ResidenceType = ResidenceType.UnitEmployee));
        Assert.Contains("本人同意", await Refused(r => r.Religion = "佛教"));
        Assert.Contains("姓名含有不可见的控制字符", await Refused(r => r.Name = "张\u0000三"));
        Assert.Contains("须填写变动日期", await Refused(r => r.Status = ResidentStatus.MovedOut));
        var atTownship = Floating(unit.ParentId!.Value, Ids.Next());
        Assert.Contains("社区（村）或其网格", (await app.AsAsync("township", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            sp.GetRequiredService<ResidentService>().CreateAsync(atTownship)))).Message);
        await using var db = await app.SystemDbAsync();
        Assert.Equal(0, await db.Residents.CountAsync());
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task One_person_one_record_another_community_is_told_only_registered_elsewhere_and_the_township_resolves_it(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var chengzhong = await app.UnitAsync("530427001001");
        var guishan = await app.UnitAsync("530427001002");
        var zhongxin = await app.UnitAsync("530427101001");
        // 扬武镇's civil-affairs office, the township of 中心村 (the demo has none).
        await app.AsAsync(null, async sp => await sp.GetRequiredService<Shiliu.Core.Accounts.UserService>().CreateAsOperatorAsync("yangwu", "扬武镇民政办",
            await app.UnitAsync("530427101000"), Db.DemoPassword, Roles.TownshipOfficer, mustChange: false, demo: true));
        var s = (IServiceProvider sp) => sp.GetRequiredService<ResidentService>();
        var id = Ids.Next();
        var rid = await app.AsAsync("community", sp => s(sp).CreateAsync(Floating(chengzhong.Id, id)));
        var again = await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => s(sp).CreateAsync(Floating(chengzhong.Id, id))));
        Assert.Equal(ResidentErrors.Duplicate, again.Code);

        // The other community learns neither the unit nor the record; the attempt is audited with both.
        var elsewhere = await app.AsAsync("community2", async sp => await Assert.ThrowsAsync<ExistsElsewhere>(() => s(sp).CreateAsync(Floating(zhongxin.Id, id))));
        Assert.Equal("该身份证号已在其他单位登记，请联系乡镇（街道）办理转入", elsewhere.Message);
        await using (var db = await app.SystemDbAsync())
        {
            var attempt = await db.AuditEntries.SingleAsync(a => a.Event == AuditEvents.RegisteredElsewhere);
            Assert.Equal((false, "community2", rid.ToString()), (attempt.Success, attempt.UserName, attempt.EntityId));
            Assert.Contains("城中社区", attempt.Summary);
        }
        var notCommunity = await app.AsAsync("community2", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => s(sp).RequestTransferAsync(rid, zhongxin.Id, "已搬到中心村居住")));
        Assert.Equal(ResidentErrors.Denied, notCommunity.Code);
        Assert.Equal(ResidentErrors.Denied, (await app.AsAsync("community2", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            s(sp).RequestTransferByIdNumberAsync(id, zhongxin.Id, "已搬到中心村居住")))).Code);

        // 扬武镇 asks by ID number; the keeper refuses, then accepts a second request.
        var refusedId = await app.AsAsync("yangwu", sp => s(sp).RequestTransferByIdNumberAsync(id, zhongxin.Id, "已搬到中心村居住"));
        var incoming = Assert.Single(await app.AsAsync("community", sp => s(sp).TransfersAsync()));
        Assert.Equal(("者*兰", "城中社区", true), (incoming.ResidentName, incoming.FromUnitName, incoming.Incoming));
        var outgoing = Assert.Single(await app.AsAsync("community2", sp => s(sp).TransfersAsync()));
        Assert.Equal(("其他单位", false), (outgoing.FromUnitName, outgoing.Incoming));
        Assert.Contains("拒绝须写明拒绝原因", (await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => s(sp).DecideTransferAsync(refusedId, false, "")))).Message);
        await app.AsAsync("community", sp => s(sp).DecideTransferAsync(refusedId, false, "本人仍在本社区居住"));
        await app.AsAsync("community2", async sp => await Assert.ThrowsAsync<NotFoundInScope>(() => s(sp).DecideTransferAsync(refusedId, true, null)));

        var tid = await app.AsAsync("yangwu", sp => s(sp).RequestTransferByIdNumberAsync(id.ToLowerInvariant(), zhongxin.Id, "户口已迁入中心村"));
        await app.AsAsync("community", sp => s(sp).DecideTransferAsync(tid, true, null));
        Assert.Equal(0, (await app.AsAsync("community", sp => s(sp).ListAsync(new ResidentQuery()))).Total);
        var moved = Assert.Single((await app.AsAsync("community2", sp => s(sp).ListAsync(new ResidentQuery()))).Items);
        Assert.Equal(rid, moved.Id);
        Assert.Equal(["转出", "登记"], (await app.AsAsync("community2", sp => s(sp).HistoryAsync(rid))).Select(h => h.Action));
        await using (var db = await app.SystemDbAsync())
        {
            Assert.Equal(zhongxin.Path, (await db.Residents.SingleAsync()).OrgPath);
            Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Event == AuditEvents.PersonalDataLookup && a.UserName == "yangwu"));
        }

        // Within one township the township sees both units: it asks and decides itself.
        var other = Ids.Next();
        var kept = await app.AsAsync("community", sp => s(sp).CreateAsync(Floating(chengzhong.Id, other)));
        var inside = await app.AsAsync("township", sp => s(sp).RequestTransferByIdNumberAsync(other, guishan.Id, "搬到桂山社区"));
        await app.AsAsync("township", sp => s(sp).DecideTransferAsync(inside, true, null));
        Assert.Equal(guishan.Id, (await app.AsAsync("township", sp => s(sp).GetAsync(kept))).Row.OrgUnitId);
        await AuditScan.AssertNoWholeIdOrBirthDateAsync(app);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Updates_are_versioned_and_recorded_in_the_history_with_masked_values(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync("530427001001");
        var s = (IServiceProvider sp) => sp.GetRequiredService<ResidentService>();
        var req = Floating(unit.Id, Ids.Next());
        var rid = await app.AsAsync("community", sp => s(sp).CreateAsync(req));
        req.Phone = "13700001111";
        req.Address = "城中社区三组12号";
        await app.AsAsync("community", sp => s(sp).UpdateAsync(rid, req));
        req.Notes = "同一版本的第二次修改";
        var stale = await app.AsAsync("community", async sp => await Assert.ThrowsAsync<ConcurrencyConflict>(() => s(sp).UpdateAsync(rid, req)));
        Assert.Contains("community", stale.Message);
        var change = (await app.AsAsync("community", sp => s(sp).HistoryAsync(rid)))[0];
        Assert.Equal("修改", change.Action);
        Assert.Contains("电话：139****4321 → 137****1111", change.Details);
        Assert.Contains("住址：（空） → 城中社区三组12号", change.Details);
        Assert.DoesNotContain("13700001111", change.Details);
        await AuditScan.AssertNoWholeIdOrBirthDateAsync(app);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Visits_add_needs_to_the_record_and_coverage_counts_households_visited(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync("530427001001");
        var s = (IServiceProvider sp) => sp.GetRequiredService<ResidentService>();
        var head = Floating(unit.Id, Ids.Next());
        var spouse = Floating(unit.Id, Ids.Next());
        spouse.Name = "罗正华";
        spouse.RelationToHead = "配偶";
        var alone = Floating(unit.Id, Ids.Next());
        alone.HouseholdNo = "CZ-0202";
        var h = await app.AsAsync("community", sp => s(sp).CreateAsync(head));
        await app.AsAsync("community", sp => s(sp).CreateAsync(spouse));
        await app.AsAsync("community", sp => s(sp).CreateAsync(alone));
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(DateTime.UtcNow));
        await app.AsAsync("grid", async sp => await Assert.ThrowsAsync<NotFoundInScope>(() => sp.GetRequiredService<VisitService>().CreateAsync(
            new SaveVisit { ResidentId = h, VisitDate = today, Visitor = "李网格", Findings = "不在本网格" })));
        await app.AsAsync("community", sp => sp.GetRequiredService<VisitService>().CreateAsync(new SaveVisit
        {
            ResidentId = h, VisitDate = today.AddDays(-3), Kind = VisitKind.MustVisit, Visitor = "李华", Findings = "孩子下学期入学，需办理入学手续",
            NeedsFound = ResidentNeeds.Legal, FollowUp = "联系司法所",
        }));
        var future = await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => sp.GetRequiredService<VisitService>().CreateAsync(
            new SaveVisit { ResidentId = h, VisitDate = today.AddDays(2), Visitor = "李华", Findings = "x" })));
        Assert.Contains("不能晚于今天", future.Message);

        var coverage = await app.AsAsync("township", sp => sp.GetRequiredService<VisitService>().CoverageAsync(null, 90));
        Assert.Equal((2, 1, 0.5), (coverage.Households, coverage.Visited, coverage.Share));
        var visits = await app.AsAsync("community", sp => sp.GetRequiredService<VisitService>().ListAsync(h, null));
        Assert.Equal(("必访", "李华"), (visits.Single().KindName, visits.Single().Visitor));
        var detail = await app.AsAsync("community", sp => s(sp).GetAsync(h));
        Assert.True(detail.Row.Needs.HasFlag(ResidentNeeds.Legal));
        Assert.Contains((await app.AsAsync("community", sp => s(sp).HistoryAsync(h))), c => c.Action == "走访发现需求" && c.Details.Contains("法律"));
        Assert.Empty(await app.AsAsync("community2", sp => sp.GetRequiredService<VisitService>().ListAsync(null, null)));
        await AuditScan.AssertNoWholeIdOrBirthDateAsync(app);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Audit_snapshots_name_a_changed_religion_birth_date_or_need_but_never_hold_its_value(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync("530427001001");
        var s = (IServiceProvider sp) => sp.GetRequiredService<ResidentService>();
        var req = Floating(unit.Id, Ids.Next(new DateOnly(1977, 6, 5)));
        req.Religion = "伊斯兰教";
        req.ReligionConsent = true;
        req.Notes = "低保户，长期服药";
        req.Needs = ResidentNeeds.Medical | ResidentNeeds.Relief;
        var rid = await app.AsAsync("community", sp => s(sp).CreateAsync(req));
        req.Religion = "佛教";
        req.Notes = "低保户，已停药";
        await app.AsAsync("community", sp => s(sp).UpdateAsync(rid, req));
        await app.AsAsync("community", sp => sp.GetRequiredService<VisitService>().CreateAsync(new SaveVisit
        {
            ResidentId = rid, VisitDate = DateOnly.FromDateTime(ChinaTime.ToChina(DateTime.UtcNow)), Visitor = "李华", Findings = "患糖尿病，需定期复查",
            NeedsFound = ResidentNeeds.Medical, FollowUp = "联系卫生院上门随访",
        }));
        await using var db = await app.SystemDbAsync();
        var rows = await db.AuditEntries.Where(a => a.EntityType == nameof(Resident) || a.EntityType == nameof(Visit)).ToListAsync();
        var text = string.Join("\n", rows.Select(a => $"{a.Summary} {a.Before} {a.After}"));
        foreach (var secret in new[] { "伊斯兰教", "佛教", "低保户", "停药", "糖尿病", "卫生院", "1977-06-05", "\"Medical", "Relief" }) Assert.DoesNotContain(secret, text);
        var update = Assert.Single(rows, a => a.Event == AuditEvents.Update && a.EntityType == nameof(Resident));
        Assert.Contains("\"Religion\":\"***\"", update.After);
        Assert.Contains("\"Notes\":\"***\"", update.Before);
        await AuditScan.AssertNoWholeIdOrBirthDateAsync(app);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task An_exact_id_search_needs_a_purpose_is_audited_and_limited_per_user_and_minute_and_unmasking_needs_a_purpose(DbProvider kind)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await ShiliuApp.StartAsync(kind, clock);
        var unit = await app.UnitAsync("530427001001");
        var s = (IServiceProvider sp) => sp.GetRequiredService<ResidentService>();
        var id = Ids.Next();
        var rid = await app.AsAsync("community", sp => s(sp).CreateAsync(Floating(unit.Id, id)));

        var bare = await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => s(sp).ListAsync(new ResidentQuery { IdNumber = id })));
        Assert.Contains("须说明用途", bare.Message);
        foreach (var _ in Enumerable.Range(0, ResidentService.LookupsPerMinute))
            Assert.Equal(0, (await app.AsAsync("community", sp => s(sp).ListAsync(new ResidentQuery { IdNumber = Ids.Next(), Purpose = "核对身份" }))).Total);
        var limited = await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            s(sp).ListAsync(new ResidentQuery { IdNumber = id, Purpose = "核对身份" })));
        Assert.Equal(ResidentErrors.LookupLimit, limited.Code);
        // Another user has a minute of its own; a minute later the first may look again.
        Assert.Equal(1, (await app.AsAsync("township", sp => s(sp).ListAsync(new ResidentQuery { IdNumber = id, Purpose = "办理转入" }))).Total);
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(1, (await app.AsAsync("community", sp => s(sp).ListAsync(new ResidentQuery { IdNumber = id, Purpose = "核对身份" }))).Total);

        await using (var db = await app.SystemDbAsync())
        {
            var lookups = await db.AuditEntries.Where(a => a.Event == AuditEvents.PersonalDataLookup).OrderBy(a => a.Id).ToListAsync();
            Assert.Equal(ResidentService.LookupsPerMinute + 3, lookups.Count);
            Assert.Equal([false], lookups.Where(a => !a.Success).Select(a => a.Success));
            Assert.All(lookups, a => Assert.Contains("用途：", a.Summary));
            Assert.Contains(lookups, a => a.UserName == "township" && a.Summary!.Contains(IdNumber.Mask(id)) && a.Summary.Contains("办理转入"));
        }
        foreach (var purpose in new[] { null, "", "  " })
            Assert.Contains("须说明用途", (await app.AsAsync("community", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() => s(sp).RevealAsync(rid, purpose)))).Message);
        await AuditScan.AssertNoWholeIdOrBirthDateAsync(app);
    }

    /// <summary>SECURITY.md #19: a whole ID number never travels in an address, where proxies and browsers log it.</summary>
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task Over_the_api_an_id_number_is_looked_up_in_a_request_body_never_in_the_address(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync("530427001001");
        var id = Ids.Next();
        await app.AsAsync("community", sp => sp.GetRequiredService<ResidentService>().CreateAsync(Floating(unit.Id, id)));
        var api = app.ApiClient(await app.TokenForAsync("community"));

        var inAddress = await api.GetAsync($"/api/v1/residents?idNumber={id}&purpose=核对身份");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, inAddress.StatusCode);
        var problem = await inAddress.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Contains("POST /api/v1/residents/search", problem.GetProperty("errors").GetProperty("idNumber")[0].GetString());
        Assert.DoesNotContain(id, await inAddress.Content.ReadAsStringAsync());

        var found = await api.PostAsJsonAsync("/api/v1/residents/search", new { idNumber = id, purpose = "核对身份" });
        Assert.Equal(System.Net.HttpStatusCode.OK, found.StatusCode);
        var page = await found.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(1, page.GetProperty("total").GetInt32());
        Assert.Equal(IdNumber.Mask(id), page.GetProperty("items")[0].GetProperty("idNumberMasked").GetString());
        // The other filters work in the body as in the address.
        var byName = await (await api.PostAsJsonAsync("/api/v1/residents/search", new { name = "不存在的人" })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(0, byName.GetProperty("total").GetInt32());
        await using var db = await app.SystemDbAsync();
        // Only the body's lookup reached the service, and it was audited.
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Event == AuditEvents.PersonalDataLookup));
        await AuditScan.AssertNoWholeIdOrBirthDateAsync(app);
    }

    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_role_that_cannot_unmask_sees_a_ten_year_age_band_and_filters_only_by_bands(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync("530427001001");
        var s = (IServiceProvider sp) => sp.GetRequiredService<ResidentService>();
        var birth = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-34).AddDays(-40);
        var rid = await app.AsAsync("community", sp => s(sp).CreateAsync(Floating(unit.Id, Ids.Next(birth))));

        var staff = Assert.Single((await app.AsAsync("community", sp => s(sp).ListAsync(new ResidentQuery()))).Items);
        Assert.Equal((34, "34岁"), (staff.Age, staff.AgeText));
        var county = Assert.Single((await app.AsAsync("county", sp => s(sp).ListAsync(new ResidentQuery()))).Items);
        Assert.Equal(((int?)null, "30–39岁"), (county.Age, county.AgeText));
        Assert.Null((await app.AsAsync("county", sp => s(sp).GetAsync(rid))).Row.Age);
        Assert.Contains("10岁一档", (await app.AsAsync("county", async sp => await Assert.ThrowsAnyAsync<RuleViolation>(() =>
            s(sp).ListAsync(new ResidentQuery { AgeMin = 34, AgeMax = 34 })))).Message);
        Assert.Equal(1, (await app.AsAsync("county", sp => s(sp).ListAsync(new ResidentQuery { AgeMin = 30, AgeMax = 39 }))).Total);
        Assert.Equal(1, (await app.AsAsync("community", sp => s(sp).ListAsync(new ResidentQuery { AgeMin = 34, AgeMax = 34 }))).Total);
        // The ledger's birth column likewise: the year for the community, the band for the county.
        foreach (var (user, expected) in new[] { ("community", $"{birth.Year}年"), ("county", "30–39岁") })
        {
            var (bytes, _) = await app.AsAsync(user, async sp => await Exports.ReadAsync(
                await sp.GetRequiredService<Shiliu.Core.Residents.Import.ResidentLedger>().ExportAsync(new ResidentQuery(), "核对台账数据")));
            using var reader = Shiliu.Core.Common.XlsxReader.Open(new MemoryStream(bytes));
            Assert.Equal(expected, reader.Rows().ToList()[3][5]!.Value.Text);
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shiliu.Core.Data;
using Shiliu.Core.Residents;
using Shiliu.Tests.Infrastructure;
using Shiliu.Tests.Residents;

namespace Shiliu.Tests.Platform;

/// <summary>SECURITY.md #26: an unexpected failure answers a generic problem with a correlation id, whatever the method.</summary>
public sealed class ErrorAnswerTests
{
    [Theory, MemberData(nameof(Db.Kinds), MemberType = typeof(Db))]
    public async Task A_failing_api_call_answers_a_chinese_problem_with_its_trace_id_for_every_method(DbProvider kind)
    {
        await using var app = await ShiliuApp.StartAsync(kind);
        var unit = await app.UnitAsync("530427001001");
        SaveResident Body(string id, string name = "罗玉芬") => new() { OrgUnitId = unit.Id, Name = name, EthnicityCode = "07", IdNumber = id, ResidenceType = ResidenceType.Permanent };
        var idNumber = Ids.Next();
        var rid = await app.AsAsync("community", sp => sp.GetRequiredService<ResidentService>().CreateAsync(Body(idNumber)));
        var activity = await app.AsAsync("community", sp => sp.GetRequiredService<Core.Activities.ActivityService>().SaveAsync(null, new Core.Activities.SaveActivity
            { OrgUnitId = unit.Id, TypeCode = "A01", Title = "政策宣讲", Date = new DateOnly(2019, 5, 1), Place = "会议室", Organiser = "城中社区", ParticipantsTotal = 30 }));
        var api = app.ApiClient(await app.TokenForAsync("community"));
        // A real failure the caller cannot help: the audit store refuses every row, so every audited write fails.
        await using (var db = await app.SystemDbAsync())
        {
            if (db.IsPostgres)
            {
                await db.Database.ExecuteSqlRawAsync("CREATE FUNCTION audit_outage() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit store unavailable'; END $$;");
                await db.Database.ExecuteSqlRawAsync("CREATE TRIGGER audit_outage BEFORE INSERT ON \"AuditEntries\" FOR EACH ROW EXECUTE FUNCTION audit_outage();");
            }
            else await db.Database.ExecuteSqlRawAsync("CREATE TRIGGER audit_outage BEFORE INSERT ON AuditEntries BEGIN SELECT RAISE(ABORT, 'audit store unavailable'); END;");
        }
        var answers = new[]
        {
            await api.PostAsJsonAsync("/api/v1/residents", Body(Ids.Next())),
            await api.PutAsJsonAsync($"/api/v1/residents/{rid}", Body(idNumber, "罗玉芳")),
            await api.DeleteAsync($"/api/v1/activities/{activity}?version=0"),
        };
        foreach (var res in answers)
        {
            var text = await res.Content.ReadAsStringAsync();
            Assert.True(res.StatusCode == HttpStatusCode.InternalServerError, $"{res.RequestMessage!.Method}: {(int)res.StatusCode} {text}");
            Assert.Equal("application/problem+json", res.Content.Headers.ContentType?.MediaType);
            var problem = System.Text.Json.JsonDocument.Parse(text).RootElement;
            Assert.Contains("服务器处理请求时出错", problem.GetProperty("detail").GetString());
            Assert.Contains(problem.GetProperty("traceId").GetString()!, problem.GetProperty("detail").GetString());
            Assert.DoesNotContain("audit store unavailable", text);
            Assert.DoesNotContain("   at ", text);
        }
    }
}

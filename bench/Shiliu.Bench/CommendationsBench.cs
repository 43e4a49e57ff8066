using Microsoft.Data.Sqlite;

namespace Shiliu.Bench;

/// <summary>
/// "commendations": a county's honour roll after many years of calls — one decided call a year since 2000, each with
/// <c>perCall</c> awardees spread over the demo communities (one in fifty revoked) — written straight into the database,
/// then the staff roll (whole county and one year) under load.
/// </summary>
static class CommendationsBench
{
    public static async Task<int> AddAsync(string dbPath, Guid county, IReadOnlyList<OrgRef> communities, int awardees)
    {
        await using var db = new SqliteConnection($"Data Source={dbPath};Pooling=False;Default Timeout=60");
        await db.OpenAsync();
        await using var tx = db.BeginTransaction();
        await using var call = db.CreateCommand();
        call.Transaction = tx;
        call.CommandText = """
            INSERT INTO CommendationCalls (Id, IssuedByUnitId, Title, Body, CampaignId, IssuedOn, Deadline, PublicityDays, Status, PublicityFrom, PublicityTo,
                DecisionNo, DecisionDate, CreatedUtc, CreatedBy, Version, UpdatedUtc, UpdatedBy)
            VALUES ($id, $county, $title, '', NULL, $issued, $deadline, 5, 2, $from, $to, $no, $decided, $time, 'bench', 0, $time, 'bench')
            """;
        var cp = new[] { "$id", "$county", "$title", "$issued", "$deadline", "$from", "$to", "$no", "$decided", "$time" }
            .ToDictionary(x => x, x => call.Parameters.Add(new SqliteParameter { ParameterName = x }));
        await using var nom = db.CreateCommand();
        nom.Transaction = tx;
        nom.CommandText = """
            INSERT INTO Nominations (Id, CallId, OrgUnitId, OrgPath, Category, NomineeName, Ethnicity, WorkUnit, Summary, Deeds, Status, VotesFor, VotesAgainst,
                VotesAbstain, MeetingDate, SubmittedUtc, RevokeReason, RevokedOn, CertificateNo, CreatedBy, CreatedUtc, Version, UpdatedUtc, UpdatedBy)
            VALUES ($id, $call, $unit, $path, $cat, $name, NULL, NULL, '热心公益，促进各民族交往交流交融。', '<p>事迹</p>', $status, 9, 0, 0, NULL, $time,
                $reason, NULL, $cert, 'bench', $time, 0, $time, 'bench')
            """;
        var np = new[] { "$id", "$call", "$unit", "$path", "$cat", "$name", "$status", "$time", "$reason", "$cert" }
            .ToDictionary(x => x, x => nom.Parameters.Add(new SqliteParameter { ParameterName = x }));
        const int years = 26;
        var perCall = Math.Max(1, awardees / years);
        var written = 0;
        for (var y = 0; y < years; y++)
        {
            var year = 2000 + y;
            var callId = Guid.NewGuid().ToString("D").ToUpperInvariant();
            var time = new DateTime(year, 9, 1, 2, 0, 0).ToString("yyyy-MM-dd HH:mm:ss");
            (cp["$id"].Value, cp["$county"].Value, cp["$title"].Value) = (callId, county.ToString("D").ToUpperInvariant(), $"{year}年度民族团结进步模范评选");
            (cp["$issued"].Value, cp["$deadline"].Value, cp["$from"].Value, cp["$to"].Value) = ($"{year}-09-01", $"{year}-09-30", $"{year}-10-20", $"{year}-10-24");
            (cp["$no"].Value, cp["$decided"].Value, cp["$time"].Value) = ($"新民发〔{year}〕12号", $"{year}-11-03", time);
            await call.ExecuteNonQueryAsync();
            for (var i = 0; i < perCall; i++, written++)
            {
                var unit = communities[written % communities.Count];
                var revoked = written % 50 == 49;
                np["$id"].Value = Guid.NewGuid().ToString("D").ToUpperInvariant();
                np["$call"].Value = callId;
                np["$unit"].Value = unit.Id.ToString("D").ToUpperInvariant();
                np["$path"].Value = unit.Path;
                np["$cat"].Value = 1 + written % 5;
                np["$name"].Value = $"模范家庭{written:000000}";
                np["$status"].Value = revoked ? 9 : 6;
                np["$time"].Value = time;
                np["$reason"].Value = revoked ? "弄虚作假" : DBNull.Value;
                np["$cert"].Value = $"{year}-BNCH-{i + 1:0000}";
                await nom.ExecuteNonQueryAsync();
            }
        }
        await tx.CommitAsync();
        return written;
    }
}

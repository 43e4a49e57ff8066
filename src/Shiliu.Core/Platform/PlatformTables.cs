using Microsoft.EntityFrameworkCore;
using Shiliu.Core.Platform.Jobs;

namespace Shiliu.Core.Data;

/// <summary>The platform's own tables on the one context.</summary>
public static class PlatformTables
{
    extension(ShiliuDb db)
    {
        public DbSet<BackgroundJob> BackgroundJobs => db.Set<BackgroundJob>();
        public DbSet<Platform.Workflow.WorkflowStep> WorkflowSteps => db.Set<Platform.Workflow.WorkflowStep>();
        public DbSet<Platform.Calendar.HolidayYear> HolidayYears => db.Set<Platform.Calendar.HolidayYear>();
        public DbSet<Platform.Calendar.HolidayDay> HolidayDays => db.Set<Platform.Calendar.HolidayDay>();
        public DbSet<Platform.Notifications.Notification> Notifications => db.Set<Platform.Notifications.Notification>();
        public DbSet<Platform.Notifications.OutboxMessage> OutboxMessages => db.Set<Platform.Notifications.OutboxMessage>();
        public DbSet<Platform.Public.UsedChallenge> UsedChallenges => db.Set<Platform.Public.UsedChallenge>();
    }
}

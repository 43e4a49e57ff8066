using Microsoft.EntityFrameworkCore;
using Shiliu.Core.JointMeetings;

// In the context's namespace, so every service that opens a ShiliuDb sees these tables without importing the module.
namespace Shiliu.Core.Data;

/// <summary>The joint-meeting tables on the one context.</summary>
public static class JointMeetingTables
{
    extension(ShiliuDb db)
    {
        public DbSet<MemberDepartment> MeetingDepartments => db.Set<MemberDepartment>();
        public DbSet<JointMeeting> JointMeetings => db.Set<JointMeeting>();
        public DbSet<MeetingAttendee> MeetingAttendees => db.Set<MeetingAttendee>();
        public DbSet<MeetingAgendaItem> MeetingAgendaItems => db.Set<MeetingAgendaItem>();
        public DbSet<MeetingTask> MeetingTasks => db.Set<MeetingTask>();
        public DbSet<TaskProgress> MeetingTaskProgress => db.Set<TaskProgress>();
    }
}

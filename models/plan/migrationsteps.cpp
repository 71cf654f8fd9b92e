#include "plan/migrationsteps.h"

#include <QCoreApplication>

namespace MigrationSteps {

namespace {
QString tr(const char *s) { return QCoreApplication::translate("MigrationSteps", s); }

QList<MigrationStep> build()
{
    const QString planning = tr("Planning");
    const QString execution = tr("Execution");
    const QString exports = tr("Exports");
    return {
        {StepId::Connections, QStringLiteral("connections"), planning, tr("Connections"),
         tr("Connect to Mailchimp and the target with their API keys, kept in the system keychain."),
         {tr("An API key per platform, stored only in the keychain"), tr("A connection test that names the account")},
         true},
        {StepId::Assessment, QStringLiteral("assessment"), planning, tr("Assessment"),
         tr("Inventory what the current platform holds and flag what the target cannot take."),
         {tr("Contacts by status, fields, tags, duplicates and invalid addresses"),
          tr("Consent evidence and engagement"), tr("Templates, campaigns, automations, integrations and domains"),
          tr("Risks with their reasons")},
         true},
        {StepId::Objectives, QStringLiteral("objectives"), planning, tr("Objectives"),
         tr("Set the goals of the migration with measurable success criteria."),
         {tr("Common goals: deliverability, analytics, CRM integration, cost"),
          tr("A KPI and threshold for each goal (e.g. hard bounce rate under 2 % on the first wave)")},
         true},
        {StepId::PlatformChoice, QStringLiteral("platformChoice"), planning, tr("Platform choice"),
         tr("Score candidate platforms against what the assessment found."),
         {tr("A catalog of platforms with dated, sourced facts"), tr("A weighted scoring matrix"),
          tr("The chosen target and the reasons for it")},
         true},
        {StepId::FieldMapping, QStringLiteral("fieldMapping"), planning, tr("Field mapping"),
         tr("Decide where each Mailchimp field goes on the target."),
         {tr("A suggested mapping to review and edit"), tr("What cannot be transferred, and why")},
         true},
        {StepId::Timeline, QStringLiteral("timeline"), planning, tr("Timeline"),
         tr("Plan the stages with dates, owners and milestones."),
         {tr("Stages generated from the assessment, with waves sized by engagement"),
          tr("Owners, dependencies, entry and exit criteria"), tr("A Gantt chart"), tr("The checklist")},
         true},
        {StepId::Backup, QStringLiteral("backup"), execution, tr("Backup"),
         tr("Take a full, verified copy of the source before anything is written."),
         {tr("Every contact, field, tag and consent record, with checksums"), tr("Restorable as CSV")}, true},
        {StepId::InitialSetup, QStringLiteral("initialSetup"), execution, tr("Initial setup"),
         tr("Create lists and fields on the target and authenticate the sending domain."),
         {tr("What was created and what already existed")}, true},
        {StepId::DataTransfer, QStringLiteral("dataTransfer"), execution, tr("Data transfer"),
         tr("Move contacts in waves: suppressions first, then subscribers by engagement."),
         {tr("Live progress, pause and resume"), tr("A row-level error report"),
          tr("An integrity diff to approve before the next stage")},
         true},
        {StepId::Templates, QStringLiteral("templates"), execution, tr("Templates"),
         tr("Move templates and translate their merge tags."), {tr("A lint report of tags that do not translate")}, false},
        {StepId::History, QStringLiteral("history"), execution, tr("History"),
         tr("Carry campaign history and engagement over where the target can hold it."), {}, false},
        {StepId::Integration, QStringLiteral("integration"), execution, tr("Integration"),
         tr("Reconnect forms, shops and CRMs to the target."), {}, false},
        {StepId::Testing, QStringLiteral("testing"), execution, tr("Testing"),
         tr("Test sends, links, unsubscribe and authentication before go-live."), {}, false},
        {StepId::StaffTraining, QStringLiteral("staffTraining"), execution, tr("Staff training"),
         tr("Prepare the team to work on the new platform."), {}, false},
        {StepId::GoLive, QStringLiteral("goLive"), execution, tr("Go-live"),
         tr("Switch sending to the target and stop the source."), {}, false},
        {StepId::Review, QStringLiteral("review"), execution, tr("Post-migration review"),
         tr("Check the objectives' KPIs after the move."), {}, false},
        {StepId::Exports, QStringLiteral("exports"), exports, tr("Exports"),
         tr("Hand the plan, the checklist and the diff reports to stakeholders."),
         {tr("The migration plan as PDF"), tr("The checklist as PDF, CSV, Markdown and iCalendar"),
          tr("Diff reports as CSV")},
         true},
    };
}
} // namespace

const QList<MigrationStep> &all()
{
    static const QList<MigrationStep> steps = build();
    return steps;
}

const MigrationStep &step(StepId id)
{
    return all()[int(id)];
}

const MigrationStep *byKey(QStringView key)
{
    for (const MigrationStep &s : all()) {
        if (s.key == key)
            return &s;
    }
    return nullptr;
}

} // namespace MigrationSteps

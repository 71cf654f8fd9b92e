#include "assessment/apiassessor.h"

#include "assessment/inventorybuilder.h"
#include "connectors/await.h"
#include "exports/exportfiles.h"

#include <QElapsedTimer>
#include <QLocale>

#include <optional>
#include <variant>
#include <vector>

namespace {

/// The cancellation marker a wait returns.
using Cancelled = AwaitCancelled;

/// The columns an API contact is laid out in, so that InventoryBuilder counts it exactly as it
/// counts a row of an export file.
/// The email first, then the account's own fields (as an export lists them), then these.
enum Column { StatusCol, TagsCol, OptinTimeCol, OptinIpCol, ConfirmTimeCol, ConfirmIpCol, RatingCol,
              LastChangedCol, LanguageCol, CountryCol };
constexpr int kEmailCol = 0, kFirstFieldCol = 1;

QString timeText(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : QString();
}

/// Mailchimp's export writes tags as "a","b": the form InventoryBuilder counts.
QString tagsText(const QStringList &tags)
{
    QStringList quoted;
    quoted.reserve(tags.size());
    for (const QString &t : tags)
        quoted.append(u'"' + QString(t).remove(u'"') + u'"');
    return quoted.join(u',');
}

ExportDialect dialectOf(TargetPlatform platform)
{
    switch (platform) {
    case TargetPlatform::Mailchimp: return ExportDialect::Mailchimp;
    case TargetPlatform::Brevo: return ExportDialect::Brevo;
    case TargetPlatform::Klaviyo: return ExportDialect::Klaviyo;
    }
    return ExportDialect::Generic;
}

class Run
{
    Q_DECLARE_TR_FUNCTIONS(ApiAssessor)

public:
    Run(SourceConnector &source, const ApiAssessor::ProgressFn &progress)
        : m_source(source), m_progress(progress)
    {
    }

    /// Waits for a connector answer, checking for cancellation while it comes.
    template<typename T>
    Awaited<T> await(QFuture<Result<T>> future)
    {
        return ConnectorAwait::await(std::move(future), [this] { return cancelled(); });
    }

    bool report(int permille, const QString &text)
    {
        m_permille = permille;
        m_text = text;
        if (m_progress && !m_progress(permille, text))
            m_cancelled = true;
        return !m_cancelled;
    }
    bool cancelled()
    {
        // Asks again so that a Cancel pressed during a long request is seen within a poll.
        if (!m_cancelled && m_progress && !m_progress(m_permille, m_text))
            m_cancelled = true;
        return m_cancelled;
    }

    SourceConnector &m_source;
    ApiAssessor::ProgressFn m_progress;
    bool m_cancelled = false;
    int m_permille = 0;
    QString m_text;
};

AssessmentOutcome cancelledOutcome()
{
    AssessmentOutcome o;
    o.cancelled = true;
    return o;
}

AssessmentOutcome errorOutcome(Error e)
{
    AssessmentOutcome o;
    o.error = std::move(e);
    return o;
}

} // namespace

QString ApiAssessor::sourceDescriptor(TargetPlatform platform, const QString &audienceId)
{
    return QStringLiteral("api:") + TargetPlatforms::key(platform) + u':' + audienceId;
}

bool ApiAssessor::parseDescriptor(const QString &text, TargetPlatform *platform, QString *audienceId)
{
    if (!text.startsWith(u"api:"))
        return false;
    const qsizetype colon = text.indexOf(u':', 4);
    if (colon < 0)
        return false;
    const auto p = TargetPlatforms::fromKey(QStringView(text).sliced(4, colon - 4));
    if (!p)
        return false;
    if (platform)
        *platform = *p;
    if (audienceId)
        *audienceId = text.mid(colon + 1);
    return true;
}

AssessmentOutcome ApiAssessor::assess(SourceConnector &source, const QString &audienceId,
                                      const QDateTime &now, const ProgressFn &progress)
{
    Run run(source, progress);
    const QString platformName = TargetPlatforms::displayName(source.platform());
    const SourceConnector::Features features = source.features();
    const QLocale locale;

// Waits for `call`; leaves assess() on an error or a cancellation.
#define STAGECOACH_AWAIT(var, call)                                                                \
    auto var##Answer = run.await(call);                                                            \
    if (std::holds_alternative<Cancelled>(var##Answer))                                            \
        return cancelledOutcome();                                                                 \
    if (std::holds_alternative<Error>(var##Answer))                                                \
        return errorOutcome(std::get<Error>(std::move(var##Answer)));                              \
    auto var = std::get<0>(std::move(var##Answer));

    if (!run.report(0, tr("Connecting to %1...").arg(platformName)))
        return cancelledOutcome();
    STAGECOACH_AWAIT(account, source.testConnection());

    // The audience: the one asked for, else Mailchimp's largest (Brevo and Klaviyo keep every
    // contact in the account, listed or not: with no list named, the whole account is read).
    Audience audience;
    const bool wholeAccount = audienceId.isEmpty() && source.platform() != TargetPlatform::Mailchimp;
    if (features.testFlag(SourceConnector::Feature::Audiences) && !wholeAccount) {
        STAGECOACH_AWAIT(audiences, source.audiences());
        bool found = false;
        for (const Audience &a : audiences) {
            if (audienceId.isEmpty() ? (!found || a.contacts > audience.contacts) : a.id == audienceId) {
                audience = a;
                found = true;
            }
        }
        if (!found) {
            return errorOutcome(Error(audienceId.isEmpty()
                                          ? tr("The %1 account has no audience to assess.").arg(platformName)
                                          : tr("The %1 account has no audience with the id %2.")
                                                .arg(platformName, audienceId),
                                      platformName,
                                      tr("Choose one of the account's audiences on the Connections step.")));
        }
    }

    // Fields, laid out as export columns after the platform's own.
    QList<FieldDefinition> fields;
    if (features.testFlag(SourceConnector::Feature::Fields)) {
        STAGECOACH_AWAIT(definitions, source.fields(audience.id));
        fields = definitions;
    }
    ExportLayout layout;
    layout.dialect = dialectOf(source.platform());
    layout.emailColumn = kEmailCol;
    layout.statusSource = tr("%1 API").arg(platformName);
    const auto system = [](const QString &name, ColumnRole role, std::optional<FieldType> type) {
        return ExportColumn{name, role, type};
    };
    layout.columns = {system(QStringLiteral("Email Address"), ColumnRole::Email, std::nullopt)};
    for (const FieldDefinition &f : fields) {
        // The platform's type where it says more than "text"; text fields are inferred from their
        // values, as export columns are.
        const std::optional<FieldType> known = f.type == FieldType::Text ? std::nullopt
                                                                         : std::optional(f.type);
        layout.columns.append(ExportColumn{f.label.isEmpty() ? f.key : f.label,
                                           ColumnRole::CustomField, known});
    }
    const qsizetype systemBase = layout.columns.size();
    layout.columns += {
        system(QStringLiteral("STATUS"), ColumnRole::Status, FieldType::Text),
        system(QStringLiteral("TAGS"), ColumnRole::Tags, FieldType::Tags),
        system(QStringLiteral("OPTIN_TIME"), ColumnRole::OptinTime, FieldType::Date),
        system(QStringLiteral("OPTIN_IP"), ColumnRole::OptinIp, FieldType::Text),
        system(QStringLiteral("CONFIRM_TIME"), ColumnRole::ConfirmTime, FieldType::Date),
        system(QStringLiteral("CONFIRM_IP"), ColumnRole::ConfirmIp, FieldType::Text),
        system(QStringLiteral("MEMBER_RATING"), ColumnRole::MemberRating, FieldType::Number),
        system(QStringLiteral("LAST_CHANGED"), ColumnRole::LastChanged, FieldType::Date),
        system(QStringLiteral("LANGUAGE"), ColumnRole::SystemField, FieldType::Text),
        system(QStringLiteral("CC"), ColumnRole::SystemField, FieldType::Text),
    };
    const auto col = [systemBase](Column c) { return size_t(systemBase) + size_t(c); };

    InventoryBuilder builder;
    ExportPart part;
    part.filePath = tr("%1 API").arg(platformName);
    part.entryName = audience.name.isEmpty() ? account.name : audience.name;
    builder.beginPart(part, layout);

    // Contacts, page by page: memory holds one page.
    qint64 read = 0;
    const qint64 expected = audience.contacts;
    ContactQuery query;
    std::vector<QByteArray> values(size_t(layout.columns.size()));
    std::vector<QByteArrayView> views(values.size());
    const auto contactsText = [&] {
        return expected > 0 ? tr("%1: %2 of %3 contacts")
                                  .arg(platformName, locale.toString(read), locale.toString(expected))
                            : tr("%1: %2 contacts").arg(platformName, locale.toString(read));
    };
    // Contacts are 90 % of the work; the other parts share the rest.
    const auto contactsPermille = [&] {
        return expected > 0 ? int(std::min<qint64>(900, read * 900 / expected)) : 0;
    };
    do {
        if (!run.report(contactsPermille(), contactsText()))
            return cancelledOutcome();
        STAGECOACH_AWAIT(page, source.contacts(audience.id, query));
        for (const SourceContact &c : page.contacts) {
            ++read;
            values[kEmailCol] = c.email.toUtf8();
            // Unknown stays blank: the builder counts it as unknown without calling it a word it
            // did not understand.
            values[col(StatusCol)] = c.status == ContactStatus::Unknown
                                 ? QByteArray()
                                 : ContactStatuses::key(c.status).toUtf8();
            values[col(TagsCol)] = tagsText(c.tags).toUtf8();
            values[col(OptinTimeCol)] = timeText(c.consent.optinTime).toUtf8();
            values[col(OptinIpCol)] = c.consent.optinIp.toUtf8();
            values[col(ConfirmTimeCol)] = timeText(c.consent.confirmTime).toUtf8();
            values[col(ConfirmIpCol)] = c.consent.confirmIp.toUtf8();
            values[col(RatingCol)] = c.rating >= 1 && c.rating <= 5 ? QByteArray::number(c.rating) : QByteArray();
            values[col(LastChangedCol)] = timeText(c.lastChanged).toUtf8();
            values[col(LanguageCol)] = c.language.toUtf8();
            values[col(CountryCol)] = c.location.countryCode.toUtf8();
            for (qsizetype f = 0; f < fields.size(); ++f)
                values[size_t(kFirstFieldCol + f)] = c.fields.value(fields[f].key).toUtf8();
            for (size_t i = 0; i < values.size(); ++i)
                views[i] = values[i];
            builder.addRecord(read, views);
        }
        if (!page.next.isEmpty() && page.next == query.cursor)
            return errorOutcome(Error(tr("%1 returned the same page twice.").arg(platformName),
                                      part.displayName(),
                                      tr("Try again later; if it keeps happening, assess an export file instead.")));
        query.cursor = page.next;
    } while (!query.cursor.isEmpty());
    builder.endPart();

    AssessmentOutcome outcome;
    outcome.inventory = builder.finish();
    AccountSummary &summary = outcome.inventory->account;
    summary.available = true;
    summary.platform = TargetPlatforms::key(source.platform());
    summary.account = account.name;
    summary.audience = audience.name;

    const auto step = [&](int permille, const QString &what) {
        return run.report(permille, tr("%1: %2").arg(platformName, what));
    };
    using F = SourceConnector::Feature;
    QList<Asset> &assets = outcome.assets;
    const auto asset = [&assets](AssetKind kind, const QString &name, const QString &details) {
        Asset a;
        a.kind = kind;
        a.name = name;
        a.details = details;
        assets.append(a);
    };

    if (features.testFlag(F::Templates)) {
        if (!step(910, tr("templates")))
            return cancelledOutcome();
        STAGECOACH_AWAIT(templates, source.templates());
        summary.templates = int(templates.size());
        for (const TemplateInfo &t : templates) {
            const QDateTime changed = t.modified.isValid() ? t.modified : t.created;
            asset(AssetKind::Template, t.name,
                  changed.isValid() ? tr("%1, changed %2").arg(t.kind, locale.toString(changed.date(), QLocale::ShortFormat))
                                    : t.kind);
        }
    }
    if (features.testFlag(F::Campaigns)) {
        if (!step(930, tr("campaigns")))
            return cancelledOutcome();
        STAGECOACH_AWAIT(campaigns, source.campaigns(QDateTime()));
        summary.campaigns = int(campaigns.size());
        summary.campaignsLast12Months = 0;
        const QDateTime yearAgo = now.addMonths(-12);
        for (const CampaignInfo &c : campaigns) {
            if (!c.sentAt.isValid() || c.sentAt < yearAgo)
                continue;
            ++summary.campaignsLast12Months;
            QString details = tr("sent %1").arg(locale.toString(c.sentAt.date(), QLocale::ShortFormat));
            if (c.recipients >= 0)
                details += tr(" to %1").arg(locale.toString(c.recipients));
            if (c.hasReport && c.recipients > 0 && c.uniqueOpens >= 0) {
                details += tr(", %1 % opened").arg(locale.toString(100.0 * double(c.uniqueOpens) / double(c.recipients), 'f', 1));
            }
            asset(AssetKind::Campaign, c.name.isEmpty() ? c.subject : c.name, details);
        }
    }
    if (features.testFlag(F::Automations)) {
        if (!step(950, tr("automations")))
            return cancelledOutcome();
        STAGECOACH_AWAIT(automations, source.automations());
        summary.automations = int(automations.size());
        for (const AutomationInfo &a : automations) {
            asset(AssetKind::Automation, a.name,
                  a.emails >= 0 ? tr("%1, %2 emails").arg(a.status).arg(a.emails) : a.status);
        }
    }
    if (features.testFlag(F::Segments)) {
        if (!step(960, tr("segments")))
            return cancelledOutcome();
        STAGECOACH_AWAIT(segments, source.segments(audience.id));
        summary.segments = int(segments.size());
    }
    if (features.testFlag(F::Integrations)) {
        if (!step(970, tr("integrations")))
            return cancelledOutcome();
        STAGECOACH_AWAIT(integrations, source.integrations());
        summary.integrations = int(integrations.size());
        for (const IntegrationInfo &i : integrations)
            asset(AssetKind::Integration, i.name, i.kind);
    }
    if (features.testFlag(F::SendingDomains)) {
        if (!step(985, tr("sending domains")))
            return cancelledOutcome();
        STAGECOACH_AWAIT(domains, source.sendingDomains());
        summary.sendingDomains = int(domains.size());
        summary.sendingDomainsAuthenticated = 0;
        for (const SendingDomainInfo &d : domains) {
            summary.sendingDomainsAuthenticated += d.authenticated ? 1 : 0;
            asset(AssetKind::SendingDomain, d.domain,
                  d.authenticated ? tr("authenticated")
                                  : d.verified ? tr("verified, not authenticated")
                                               : tr("not verified"));
        }
    }
#undef STAGECOACH_AWAIT
    run.report(1000, tr("%1: done").arg(platformName));
    return outcome;
}

AssessmentOutcome assessApiForPromise(QPromise<AssessmentOutcome> &promise, SourceConnector &source,
                                      const QString &audienceId)
{
    promise.setProgressRange(0, 1000);
    QElapsedTimer sinceReport;
    sinceReport.start();
    int lastPermille = -1;
    return ApiAssessor::assess(source, audienceId, QDateTime::currentDateTimeUtc(),
                               [&](int permille, const QString &text) {
                                   // At most ten reports a second, and every change of phase.
                                   if (permille != lastPermille
                                       && (sinceReport.elapsed() >= 100 || permille >= 900)) {
                                       promise.setProgressValueAndText(permille, text);
                                       lastPermille = permille;
                                       sinceReport.restart();
                                   }
                                   return !promise.isCanceled();
                               });
}

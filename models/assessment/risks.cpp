#include "assessment/risks.h"

#include "catalog/platformcatalog.h"

#include <QJsonObject>
#include <QLocale>

#include <algorithm>

QString Risk::severityKey(Severity s)
{
    switch (s) {
    case Info: return QStringLiteral("info");
    case Warning: return QStringLiteral("warning");
    case Critical: return QStringLiteral("critical");
    }
    return {};
}

QString Risk::severityName(Severity s)
{
    const auto tr = [](const char *t) { return QCoreApplication::translate("Risk", t); };
    switch (s) {
    case Info: return tr("Note");
    case Warning: return tr("Warning");
    case Critical: return tr("Blocker");
    }
    return {};
}

namespace {
QString num(qint64 n) { return QLocale().toString(n); }
QString pct(qint64 part, qint64 whole)
{
    return whole > 0 ? QLocale().toString(100.0 * double(part) / double(whole), 'f', 1) + u'%' : QStringLiteral("0%");
}
} // namespace

QList<Risk> RiskAssessment::evaluate(const Inventory &inv, const QMap<AssetKind, int> &assets,
                                     const Platform *target)
{
    QList<Risk> risks;
    const auto add = [&](const char *id, Risk::Severity s, const QString &title, const QString &reason,
                         const QString &action) {
        risks.append(Risk{QString::fromLatin1(id), s, title, reason, action});
    };

    if (const qint64 unknown = inv.count(ContactStatus::Unknown)) {
        QStringList files;
        for (const InventorySource &s : inv.sources) {
            if (s.statusSource.isEmpty())
                files.append(s.part);
        }
        QString reason = tr("The subscription status of %1 contacts could not be read").arg(num(unknown));
        if (!files.isEmpty())
            reason += tr(" (%1 says nothing about status)").arg(files.join(QStringLiteral(", ")));
        if (!inv.unrecognisedStatusValues.isEmpty())
            reason += tr("; status words not understood: %1").arg(inv.unrecognisedStatusValues.join(QStringLiteral(", ")));
        add("unknownStatus", Risk::Critical, tr("Subscription status unknown"), reason + u'.',
            tr("Use the platform's export as it was downloaded (Mailchimp names each file after its "
               "status), or add a Status column. Until then these contacts are treated as not "
               "subscribed and will not be mailed."));
    }
    if (target && target->customFieldLimit.value && inv.customFieldCount() > *target->customFieldLimit.value) {
        add("fieldLimit", Risk::Critical, tr("More fields than %1 holds").arg(target->name),
            tr("The export has %1 custom fields; %2 holds %3 (%4).")
                .arg(inv.customFieldCount())
                .arg(target->name)
                .arg(*target->customFieldLimit.value)
                .arg(target->customFieldLimit.note),
            tr("Decide which fields to leave behind or merge before the initial setup."));
    }
    if (target && target->listLimit.value && inv.tags.size() > *target->listLimit.value
        && target->contactTags.value == false) {
        add("tagLimit", Risk::Critical, tr("More tags than %1 has room for as lists").arg(target->name),
            tr("%1 tags would become lists, but %2 allows %3 (%4).")
                .arg(inv.tags.size())
                .arg(target->name)
                .arg(*target->listLimit.value)
                .arg(target->listLimit.note),
            tr("Merge or drop tags, or carry them as a property instead of lists."));
    }
    if (const qint64 pending = inv.count(ContactStatus::Pending)) {
        add("pending", Risk::Warning, tr("Unconfirmed (pending) contacts"),
            (pending == 1 ? tr("1 contact never confirmed its subscription.") : tr("%1 contacts never confirmed their subscription.").arg(num(pending))),
            tr("They must not arrive on the target as subscribed. Leave them behind, or import them "
               "without consent and ask them to confirm from the target."));
    }
    if (inv.consent.available && inv.consent.subscribed > inv.consent.subscribedWithEvidence) {
        const qint64 missing = inv.consent.subscribed - inv.consent.subscribedWithEvidence;
        add("consentEvidence", Risk::Warning, tr("Subscribers without consent evidence"),
            tr("%1 of %2 subscribed contacts (%3) have neither an opt-in nor a confirmation time.")
                .arg(num(missing), num(inv.consent.subscribed), pct(missing, inv.consent.subscribed)),
            tr("Keep the source export as your record of consent, and check how these contacts "
               "were added before mailing them from the new platform."));
    } else if (!inv.consent.available && inv.consent.subscribed > 0) {
        add("consentEvidence", Risk::Warning, tr("No consent evidence in the export"),
            tr("The export has no opt-in or confirmation time for its %1 subscribed contacts.")
                .arg(num(inv.consent.subscribed)),
            tr("Export from the source platform with its opt-in columns if it has them, and keep "
               "that export as your record of consent."));
    }
    if (inv.duplicates > 0) {
        add("duplicates", Risk::Warning, tr("Duplicate addresses"),
            (inv.duplicates == 1 ? tr("1 row repeats an address already seen (ignoring case and surrounding spaces).")
                                : tr("%1 rows repeat an address already seen (ignoring case and surrounding spaces).").arg(num(inv.duplicates))),
            tr("The target keeps one contact per address, so one record would overwrite the other. "
               "Review the list and decide which record wins."));
    }
    if (inv.invalidEmails > 0) {
        add("invalidEmails", Risk::Warning, tr("Invalid addresses"),
            (inv.invalidEmails == 1 ? tr("1 row has an address that is not valid.")
                                   : tr("%1 rows have an address that is not valid.").arg(num(inv.invalidEmails))),
            tr("The target will reject them; they will be listed in the transfer's error report. "
               "Correct them at the source if they matter."));
    }
    if (inv.engagement.lastChangedAvailable && inv.total > 0) {
        const qint64 stale = inv.engagement.lastChanged[Engagement::Over1Year];
        if (stale * 4 >= inv.total && stale > 0) {
            add("stale", Risk::Warning, tr("Many contacts unchanged for over a year"),
                tr("%1 contacts (%2) have not changed for more than a year before %3.")
                    .arg(num(stale), pct(stale, inv.total), QLocale().toString(inv.engagement.reference, QLocale::ShortFormat)),
                tr("A new sending platform means warming up a new reputation: move and mail the most "
                   "engaged contacts first, and consider a re-engagement campaign for the rest."));
        }
    }
    if (target && target->contactTags.value == false && !inv.tags.isEmpty()) {
        add("tagsNotNative", Risk::Warning, tr("Tags have no direct equivalent on %1").arg(target->name),
            (inv.tags.size() == 1 ? tr("1 tag is in use.") : tr("%1 tags are in use.").arg(inv.tags.size())) + u' ' + target->contactTags.note,
            tr("Decide in the field mapping how each tag is carried."));
    }
    if (target) {
        QStringList lossy;
        for (const InventoryField &f : inv.fields) {
            if (f.custom && f.filled > 0 && !target->holdsNatively(f.type))
                lossy.append(tr("%1 (%2)").arg(f.name, FieldTypes::displayName(f.type).toLower()));
        }
        if (!lossy.isEmpty()) {
            add("fieldTypes", Risk::Info, tr("Fields %1 has no native type for").arg(target->name),
                tr("%1. %2").arg(lossy.join(QStringLiteral(", ")), target->fieldTypes.note),
                tr("Check how each is converted when you review the field mapping."));
        }
    }
    if (const qint64 suppressions = inv.suppressions()) {
        add("suppressions", Risk::Info, tr("Suppressions go first"),
            (suppressions == 1 ? tr("1 contact is unsubscribed, bounced or complained.")
                               : tr("%1 contacts are unsubscribed, bounced or complained.").arg(num(suppressions))),
            tr("They are written to the target's suppression list before any subscriber, so that "
               "nobody who left is mailed again."));
    }
    if (const int n = assets.value(AssetKind::Automation)) {
        add("automations", Risk::Warning, tr("Automations are rebuilt by hand"),
            (n == 1 ? tr("1 automation is listed") : tr("%1 automations are listed").arg(n)) + tr("; no platform imports another's automations."),
            tr("Plan time to rebuild and test each one, and switch the old ones off at go-live."));
    }
    if (const int n = assets.value(AssetKind::Integration)) {
        add("integrations", Risk::Warning, tr("Integrations keep feeding the old platform"),
            (n == 1 ? tr("1 integration is listed.") : tr("%1 integrations are listed.").arg(n)),
            tr("Reconnect each to the target and disconnect it from the source at go-live, or it "
               "keeps adding contacts (and sending opt-in mails) on the old platform."));
    }
    if (const int n = assets.value(AssetKind::SendingDomain)) {
        add("domains", Risk::Info, tr("Sending domains need authenticating on the target"),
            (n == 1 ? tr("1 sending domain is listed.") : tr("%1 sending domains are listed.").arg(n)),
            tr("Set up SPF, DKIM and DMARC for each on the target before the first send."));
    }
    if (!target) {
        add("noTarget", Risk::Info, tr("No target chosen yet"),
            tr("Limits of the target platform (fields, tags, field types) are not checked."),
            tr("Pick the intended target on this page to check them."));
    }

    std::stable_sort(risks.begin(), risks.end(),
                     [](const Risk &a, const Risk &b) { return a.severity > b.severity; });
    return risks;
}

QJsonArray RiskAssessment::toJson(const QList<Risk> &risks)
{
    QJsonArray array;
    for (const Risk &r : risks) {
        array.append(QJsonObject{{QStringLiteral("id"), r.id},
                                 {QStringLiteral("severity"), Risk::severityKey(r.severity)},
                                 {QStringLiteral("title"), r.title},
                                 {QStringLiteral("reason"), r.reason},
                                 {QStringLiteral("action"), r.action}});
    }
    return array;
}

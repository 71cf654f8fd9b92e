#include "transfer/stageoutcome.h"

#include <QJsonArray>
#include <QLocale>

using namespace Qt::StringLiterals;

QJsonObject StageOutcome::toJson() const
{
    QJsonObject o{{u"total"_s, total},
                  {u"written"_s, written},
                  {u"failed"_s, failed},
                  {u"pending"_s, pending},
                  {u"verified"_s, verified},
                  {u"elapsedMs"_s, elapsedMs}};
    if (!message.isEmpty())
        o.insert(u"message"_s, message);
    if (!detail.isEmpty())
        o.insert(u"detail"_s, detail);
    if (notTransferred)
        o.insert(u"notTransferred"_s, notTransferred);
    if (duplicates)
        o.insert(u"duplicates"_s, duplicates);
    if (created || existing) {
        o.insert(u"created"_s, created);
        o.insert(u"existing"_s, existing);
    }
    if (foundOnTarget >= 0) {
        o.insert(u"foundOnTarget"_s, foundOnTarget);
        o.insert(u"missingOnTarget"_s, missingOnTarget);
        o.insert(u"consentViolations"_s, consentViolations);
    }
    QJsonObject statuses;
    for (auto it = byStatus.begin(); it != byStatus.end(); ++it)
        statuses.insert(ContactStatuses::key(it.key()), it.value());
    o.insert(u"byStatus"_s, statuses);
    QJsonObject fields;
    for (auto it = fieldsFilled.begin(); it != fieldsFilled.end(); ++it)
        fields.insert(it.key(), it.value());
    if (!fields.isEmpty())
        o.insert(u"fieldsFilled"_s, fields);
    return o;
}

StageOutcome StageOutcome::fromRun(const TransferRun &run)
{
    StageOutcome o;
    o.runId = run.id;
    o.ref = StageRef{run.stage, run.wave};
    o.dryRun = run.dryRun;
    o.state = run.state;
    const QJsonObject &c = run.counts;
    o.message = c.value(u"message"_s).toString();
    o.detail = c.value(u"detail"_s).toString();
    o.total = c.value(u"total"_s).toInteger();
    o.written = c.value(u"written"_s).toInteger();
    o.failed = c.value(u"failed"_s).toInteger();
    o.pending = c.value(u"pending"_s).toInteger();
    o.notTransferred = c.value(u"notTransferred"_s).toInteger();
    o.duplicates = c.value(u"duplicates"_s).toInteger();
    o.created = c.value(u"created"_s).toInteger();
    o.existing = c.value(u"existing"_s).toInteger();
    o.verified = c.value(u"verified"_s).toBool();
    o.elapsedMs = c.value(u"elapsedMs"_s).toInteger();
    o.foundOnTarget = c.value(u"foundOnTarget"_s).toInteger(-1);
    o.missingOnTarget = c.value(u"missingOnTarget"_s).toInteger(-1);
    o.consentViolations = c.value(u"consentViolations"_s).toInteger(-1);
    const QJsonObject statuses = c.value(u"byStatus"_s).toObject();
    for (auto it = statuses.begin(); it != statuses.end(); ++it) {
        if (const auto s = ContactStatuses::fromKey(it.key()))
            o.byStatus.insert(*s, it.value().toInteger());
    }
    const QJsonObject fields = c.value(u"fieldsFilled"_s).toObject();
    for (auto it = fields.begin(); it != fields.end(); ++it)
        o.fieldsFilled.insert(it.key(), it.value().toInteger());
    return o;
}

QString StageOutcome::summary() const
{
    const QLocale l;
    QString line = ref.title() + u": "_s;
    if (dryRun)
        line += tr("dry run, ");
    if (ref.stage == u"backup"_s) {
        line += tr("%1 contacts backed up").arg(l.toString(total));
        if (verified)
            line += tr(", verified");
    } else if (ref.stage == u"setup"_s) {
        line += dryRun ? tr("%1 to create, %2 already there").arg(created).arg(existing)
                       : tr("%1 created, %2 already there").arg(created).arg(existing);
    } else {
        line += dryRun ? tr("%1 would be written, %2 rejected")
                             .arg(l.toString(total - failed), l.toString(failed))
                       : tr("%1 of %2 written, %3 rejected")
                             .arg(l.toString(written), l.toString(total), l.toString(failed));
        if (notTransferred)
            line += tr(", %1 not transferred (in the error report)").arg(l.toString(notTransferred));
        if (consentViolations >= 0)
            line += tr(", %1 found on the target, %2 consent violations")
                        .arg(l.toString(foundOnTarget), l.toString(consentViolations));
    }
    if (!message.isEmpty())
        line += u" — "_s + message;
    return line;
}

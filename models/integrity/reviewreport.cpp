#include "integrity/reviewreport.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace {

QString n(const QJsonObject &o, const QString &key)
{
    return QLocale().toString(o.value(key).toInteger());
}

QString row(const QString &label, const QString &a, const QString &b = {},
            const QString &style = {})
{
    const QString td = style.isEmpty() ? u"<td"_s : u"<td style=\"%1\""_s.arg(style);
    return u"<tr>"_s + td + u">"_s + label.toHtmlEscaped() + u"</td>"_s + td
           + u" align=\"right\">"_s + a + u"</td>"_s + td + u" align=\"right\">"_s + b
           + u"</td></tr>"_s;
}

} // namespace

QString ReviewReport::keyFigures(const QJsonObject &f)
{
    const qint64 violations = f.value(u"consentViolations"_s).toInteger();
    const QString consent = violations == 1
                                ? tr("1 consent violation")
                                : tr("%1 consent violations").arg(n(f, u"consentViolations"_s));
    return tr("%1 on the source, %2 on the target: %3 identical, %4 missing, %5 extra, %6 changed, "
              "%7.")
        .arg(n(f, u"sourceRecords"_s), n(f, u"targetRecords"_s), n(f, u"identical"_s),
             n(f, u"missing"_s), n(f, u"extra"_s), n(f, u"changed"_s), consent);
}

QString ReviewReport::summaryHtml(const QJsonObject &f)
{
    QString html;
    const qint64 violations = f.value(u"consentViolations"_s).toInteger();
    if (violations > 0)
        html += u"<p style=\"color:#b00020; font-weight:bold\">"_s
                + (violations == 1 ? tr(
                       "1 contact is more subscribed on the target than on the source (a consent "
                       "violation). This cannot be approved.")
                                   : tr("%1 contacts are more subscribed on the target than on the "
                                        "source (consent "
                                        "violations). This cannot be approved.")
                                         .arg(QLocale().toString(violations)))
                      .toHtmlEscaped()
                + u"</p>"_s;
    else
        html += u"<p style=\"color:#1b5e20\">"_s + tr("No consent violations.").toHtmlEscaped()
                + u"</p>"_s;

    html += u"<table cellspacing=\"0\" cellpadding=\"2\"><tr><th></th><th align=\"right\">"_s
            + tr("Source").toHtmlEscaped() + u"</th><th align=\"right\">"_s
            + tr("Target").toHtmlEscaped() + u"</th></tr>"_s;
    html += row(tr("Records"), n(f, u"sourceRecords"_s), n(f, u"targetRecords"_s));
    html += row(tr("Identical"), n(f, u"identical"_s), n(f, u"identical"_s));
    const QString warn = u"color:#9a5b00"_s;
    const auto flagged = [&](const QString &key) {
        return f.value(key).toInteger() > 0 ? warn : QString();
    };
    html += row(tr("Missing on the target"), n(f, u"missing"_s), QString(), flagged(u"missing"_s));
    html += row(tr("Extra on the target"), QString(), n(f, u"extra"_s), flagged(u"extra"_s));
    html += row(tr("Changed"), n(f, u"changed"_s), n(f, u"changed"_s), flagged(u"changed"_s));
    if (f.value(u"sourceDuplicates"_s).toInteger() || f.value(u"targetDuplicates"_s).toInteger())
        html += row(tr("Duplicates"), n(f, u"sourceDuplicates"_s), n(f, u"targetDuplicates"_s));
    const QJsonObject sc = f.value(u"sourceByClass"_s).toObject();
    const QJsonObject tc = f.value(u"targetByClass"_s).toObject();
    html += row(tr("Suppressed"), n(sc, u"suppressed"_s), n(tc, u"suppressed"_s));
    html += row(tr("Not marketable"), n(sc, u"notMarketable"_s), n(tc, u"notMarketable"_s));
    html += row(tr("Marketable"), n(sc, u"marketable"_s), n(tc, u"marketable"_s));
    html += u"</table>"_s;

    const QJsonObject byField = f.value(u"changedByField"_s).toObject();
    QStringList changedFields;
    for (auto it = byField.begin(); it != byField.end(); ++it) {
        if (it.value().toInteger() > 0)
            changedFields.append(
                tr("%1: %2").arg(it.key() == u"status"_s ? tr("status class") : it.key(),
                                 QLocale().toString(it.value().toInteger())));
    }
    html += u"<p>"_s
            + (changedFields.isEmpty()
                   ? tr("No field differs.")
                   : tr("Changes per field: %1.").arg(changedFields.join(u", "_s)))
                  .toHtmlEscaped()
            + u"</p>"_s;
    const QString scope = f.value(u"scope"_s).toObject().value(u"text"_s).toString();
    if (!scope.isEmpty())
        html += u"<p style=\"color:#555\">"_s + scope.toHtmlEscaped() + u"</p>"_s;
    return html;
}

QString ReviewReport::decisionLine(const ReviewRecord &r)
{
    const QString when = QLocale().toString(r.reviewedAt.toLocalTime(), QLocale::ShortFormat);
    const QString head = r.decision == ReviewDecision::Approved
                             ? tr("Approved by %1 on %2").arg(r.reviewer, when)
                             : tr("Rejected by %1 on %2").arg(r.reviewer, when);
    return r.comment.isEmpty() ? head + u'.' : tr("%1: %2").arg(head, r.comment);
}

#include "reports/planhtml.h"

#include "reports/plandocument.h"

#include <QFileInfo>
#include <QLocale>

#include <algorithm>

namespace {
const QString kSeverityBackground[]
    = {QStringLiteral("#e8eef5"), QStringLiteral("#fcefd0"), QStringLiteral("#f8d9d5")};
constexpr int kTopTags = 15;
constexpr int kFindingExamples = 10;
const QString kRight = QStringLiteral("right");
const QString kLeft = QStringLiteral("left");
} // namespace

QString PlanHtml::assessment(int number)
{
    const PlanDocument &doc = m_doc;
    QString html = section(number, tr("Assessment summary"));
    if (!doc.inventory) {
        html += notYet(
            tr("No export has been assessed yet: contacts, fields, tags and consent evidence "
               "are not known."));
    } else {
        const Inventory &inv = *doc.inventory;
        QStringList parts;
        for (const InventorySource &s : inv.sources)
            parts.append(s.part.isEmpty() ? QFileInfo(s.path).fileName() : s.part);
        const bool one = inv.sources.size() == 1;
        const QString files = QString::number(inv.sources.size());
        const QString on = date(doc.assessedAt.date());
        const QString intro
            = doc.assessedAt.isValid()
                  ? (one ? tr("Assessed on %1 from 1 file").arg(on)
                         : tr("Assessed on %1 from %2 files").arg(on, files))
                  : (one ? tr("Assessed from 1 file") : tr("Assessed from %1 files").arg(files));
        html += QStringLiteral("<p>") + intro.toHtmlEscaped()
                + (parts.isEmpty()
                       ? QString()
                       : QStringLiteral(": ") + breakable(parts.join(QStringLiteral(", "))))
                + QStringLiteral(". ")
                + tr("%1 contacts in all.").arg(PlanHtml::number(inv.total)).toHtmlEscaped()
                + QStringLiteral("</p>");

        html += subsection(tr("Contacts by status"));
        Table statuses;
        statuses.headers
            = {tr("Status"), tr("Contacts"), tr("Share"), tr("Suppressed on the target")};
        statuses.widths = {34, 20, 16, 30};
        statuses.align = {kLeft, kRight, kRight, kLeft};
        statuses.width = 80;
        for (const ContactStatus s : kAllContactStatuses) {
            const qint64 n = inv.count(s);
            QStringList row
                = {esc(ContactStatuses::displayName(s)), PlanHtml::number(n), percent(n, inv.total),
                   ContactStatuses::isSuppression(s) ? tr("yes").toHtmlEscaped() : QString()};
            if (n == 0) {
                for (QString &cell : row)
                    cell = muted(cell);
            }
            statuses.rows.append(row);
        }
        statuses.rows.append(
            {QStringLiteral("<b>") + tr("Total").toHtmlEscaped() + QStringLiteral("</b>"),
             QStringLiteral("<b>") + PlanHtml::number(inv.total) + QStringLiteral("</b>"),
             QString(), QString()});
        html += table(statuses);

        html += subsection(tr("Duplicates and invalid addresses"));
        if (inv.duplicates == 0 && inv.invalidEmails == 0) {
            html += paragraph(tr("No duplicate or invalid addresses were found."));
        } else {
            html += paragraph(
                tr("%1 duplicate rows (%2 of all rows) and %3 invalid addresses (%4).")
                    .arg(PlanHtml::number(inv.duplicates), percent(inv.duplicates, inv.total),
                         PlanHtml::number(inv.invalidEmails),
                         percent(inv.invalidEmails, inv.total)));
            if (!inv.findings.isEmpty()) {
                Table examples;
                examples.headers = {tr("Problem"), tr("Address"), tr("Where"), tr("Detail")};
                examples.widths = {14, 30, 26, 30};
                for (const Finding &f : inv.findings.mid(0, kFindingExamples)) {
                    examples.rows.append(
                        {f.kind == Finding::Duplicate ? tr("duplicate").toHtmlEscaped()
                                                      : tr("invalid").toHtmlEscaped(),
                         breakable(f.address),
                         breakable(tr("%1 line %2").arg(f.source, QString::number(f.line))),
                         esc(f.detail)});
                }
                if (inv.findings.size() > kFindingExamples) {
                    html += QStringLiteral("<p class=\"muted\">")
                            + tr("The first %1 of %2:")
                                  .arg(kFindingExamples)
                                  .arg(PlanHtml::number(inv.findings.size()))
                                  .toHtmlEscaped()
                            + QStringLiteral("</p>");
                }
                html += table(examples);
            }
        }

        html += subsection(tr("Custom fields"));
        QList<InventoryField> custom;
        for (const InventoryField &f : inv.fields) {
            if (f.custom && f.type != FieldType::Tags)
                custom.append(f);
        }
        if (custom.isEmpty()) {
            html += paragraph(tr("The export has no custom fields."));
        } else {
            html += paragraph(
                (custom.size() == 1
                     ? tr("1 custom field to create on the target, with the type it holds:")
                     : tr("%1 custom fields to create on the target, with the type each holds:")
                           .arg(custom.size())));
            Table fields;
            fields.headers = {tr("Field"), tr("Type"), tr("Filled in"), tr("Share")};
            fields.widths = {40, 22, 20, 18};
            fields.align = {kLeft, kLeft, kRight, kRight};
            fields.width = 80;
            for (const InventoryField &f : std::as_const(custom)) {
                fields.rows.append({breakable(f.name), esc(FieldTypes::displayName(f.type)),
                                    PlanHtml::number(f.filled), percent(f.filled, inv.total)});
            }
            html += table(fields);
        }

        html += subsection(tr("Tags"));
        if (inv.tags.isEmpty()) {
            html += paragraph(tr("The export has no tags."));
        } else {
            const QList<InventoryTag> top = inv.tags.mid(0, kTopTags);
            html += paragraph(
                (inv.tags.size() > top.size()
                     ? tr("%1 tags; the %2 used most:").arg(inv.tags.size()).arg(top.size())
                 : inv.tags.size() == 1 ? tr("1 tag:")
                                        : tr("%1 tags:").arg(inv.tags.size())));
            Table tags;
            tags.headers = {tr("Tag"), tr("Contacts"), tr("Share")};
            tags.widths = {60, 20, 20};
            tags.align = {kLeft, kRight, kRight};
            tags.width = 70;
            for (const InventoryTag &t : top)
                tags.rows.append(
                    {breakable(t.name), PlanHtml::number(t.count), percent(t.count, inv.total)});
            html += table(tags);
        }

        html += subsection(tr("Consent evidence"));
        const ConsentCoverage &c = inv.consent;
        if (!c.available) {
            html += paragraph(tr("The export has no opt-in or confirmation columns: there is no "
                                 "evidence of consent to "
                                 "carry over."));
        } else {
            html += paragraph(
                tr("%1 of %2 subscribed contacts (%3) have an opt-in or confirmation time.")
                    .arg(PlanHtml::number(c.subscribedWithEvidence), PlanHtml::number(c.subscribed),
                         percent(c.subscribedWithEvidence, c.subscribed)));
            Table consent;
            consent.headers = {tr("Evidence"), tr("Contacts"), tr("Share of all")};
            consent.widths = {50, 25, 25};
            consent.align = {kLeft, kRight, kRight};
            consent.width = 70;
            const auto add = [&](const QString &label, qint64 n) {
                consent.rows.append(
                    {label.toHtmlEscaped(), PlanHtml::number(n), percent(n, inv.total)});
            };
            add(tr("Opt-in time"), c.optinTime);
            add(tr("Opt-in IP address"), c.optinIp);
            add(tr("Confirmation time"), c.confirmTime);
            add(tr("Confirmation IP address"), c.confirmIp);
            add(tr("Opt-in or confirmation time"), c.withEvidence);
            html += table(consent);
        }

        html += subsection(tr("Engagement"));
        const Engagement &e = inv.engagement;
        if (!e.ratingAvailable && !e.lastChangedAvailable) {
            html += paragraph(
                tr("The export holds no engagement data (member rating or last change)."));
        }
        if (e.ratingAvailable) {
            Table rating;
            rating.headers = {tr("Member rating"), tr("Contacts"), tr("Share")};
            rating.widths = {50, 25, 25};
            rating.align = {kLeft, kRight, kRight};
            rating.width = 70;
            for (int stars = 5; stars >= 0; --stars) {
                const QString label = stars == 0 ? tr("No rating")
                                                 : QString(stars, QChar(0x2605))
                                                       + QString(5 - stars, QChar(0x2606));
                rating.rows.append({label.toHtmlEscaped(),
                                    PlanHtml::number(e.rating[size_t(stars)]),
                                    percent(e.rating[size_t(stars)], inv.total)});
            }
            html += table(rating);
        }
        if (e.lastChangedAvailable) {
            Table changed;
            changed.headers
                = {e.reference.isValid() ? tr("Last change, before %1").arg(date(e.reference))
                                         : tr("Last change"),
                   tr("Contacts"), tr("Share")};
            changed.widths = {50, 25, 25};
            changed.align = {kLeft, kRight, kRight};
            changed.width = 70;
            for (int b = Engagement::Within30Days; b <= Engagement::Unknown; ++b) {
                changed.rows.append({esc(Engagement::bucketName(b)),
                                     PlanHtml::number(e.lastChanged[size_t(b)]),
                                     percent(e.lastChanged[size_t(b)], inv.total)});
            }
            html += table(changed);
        }
    }

    html += subsection(tr("Templates, campaigns and other assets"));
    int assetTotal = 0;
    for (const AssetKind k : kAllAssetKinds)
        assetTotal += doc.assets.value(k);
    if (assetTotal == 0)
        return html
               + notYet(
                   tr("No templates, campaigns, automations, integrations or sending domains have "
                      "been entered yet."));
    Table assets;
    assets.headers = {tr("Kind"), tr("Entered by hand")};
    assets.widths = {60, 40};
    assets.align = {kLeft, kRight};
    assets.width = 60;
    for (const AssetKind k : kAllAssetKinds)
        assets.rows.append(
            {esc(AssetKinds::displayName(k)), PlanHtml::number(doc.assets.value(k))});
    return html + table(assets);
}

QString PlanHtml::risks(int number)
{
    const PlanDocument &doc = m_doc;
    QString html = section(number, tr("Risks and mitigations"));
    if (doc.risks.isEmpty()) {
        return html
               + notYet(doc.inventory
                            ? tr("The assessment found no risks.")
                            : tr("No risks have been assessed yet: assess the exports first."));
    }
    Table t;
    t.headers = {tr("Severity"), tr("Risk"), tr("Why"), tr("What to do")};
    t.widths = {11, 23, 31, 35};
    for (const Risk &r : doc.risks) {
        const int sev = std::clamp(int(r.severity), 0, 2);
        // Blocker in red, warning in amber, note in blue-grey.
        t.rows.append({Risk::severityName(r.severity).toHtmlEscaped(),
                       QStringLiteral("<b>") + esc(r.title) + QStringLiteral("</b>"), esc(r.reason),
                       esc(r.action)});
        t.cellStyles.append(
            {QStringLiteral("background-color: %1;").arg(kSeverityBackground[sev])});
    }
    return html + table(t);
}

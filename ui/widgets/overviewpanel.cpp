#include "widgets/overviewpanel.h"

#include "widgets/barchart.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace {
QString num(qint64 n) { return QLocale().toString(n); }
QString pct(qint64 part, qint64 whole)
{
    return whole > 0 ? QLocale().toString(100.0 * double(part) / double(whole), 'f', 1) + u'%' : QStringLiteral("-");
}
QColor statusColor(ContactStatus s)
{
    switch (s) {
    case ContactStatus::Subscribed: return QColor(0x2e, 0x7d, 0x32);
    case ContactStatus::Unsubscribed: return QColor(0x75, 0x75, 0x75);
    case ContactStatus::Cleaned: return QColor(0xc6, 0x28, 0x28);
    case ContactStatus::Complained: return QColor(0x8e, 0x24, 0xaa);
    case ContactStatus::Pending: return QColor(0xef, 0x6c, 0x00);
    default: return QColor(0x45, 0x5a, 0x64);
    }
}
} // namespace

OverviewPanel::OverviewPanel(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QGridLayout(this);
    m_headline = new QLabel(this);
    m_headline->setObjectName(QStringLiteral("overviewHeadline"));
    m_headline->setWordWrap(true);
    m_headline->setTextFormat(Qt::RichText);
    layout->addWidget(m_headline, 0, 0, 1, 2);

    m_figures = new QLabel(this);
    m_figures->setObjectName(QStringLiteral("overviewFigures"));
    m_figures->setTextFormat(Qt::RichText);
    m_figures->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_figures->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_figures, 1, 0);

    m_statusChart = new BarChart(tr("Contacts by status"), this);
    m_statusChart->setObjectName(QStringLiteral("statusChart"));
    layout->addWidget(m_statusChart, 1, 1, Qt::AlignTop);

    m_sources = new QTreeWidget(this);
    m_sources->setObjectName(QStringLiteral("sourcesView"));
    m_sources->setRootIsDecorated(false);
    m_sources->setHeaderLabels({tr("File"), tr("Platform"), tr("Status from"), tr("Rows"), tr("Encoding"),
                                tr("Delimiter")});
    m_sources->header()->setStretchLastSection(false);
    m_sources->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_sources->setMaximumHeight(130);
    layout->addWidget(m_sources, 2, 0, 1, 2);
    layout->setColumnStretch(0, 2);
    layout->setColumnStretch(1, 3);
    layout->setRowStretch(1, 1);
}

void OverviewPanel::setInventory(const Inventory *inv, const QDateTime &assessedAt)
{
    m_sources->clear();
    if (!inv) {
        m_headline->setText(tr("<p>No assessment yet. Add the export of your current platform above.</p>"));
        m_figures->clear();
        m_statusChart->setBars({}, QColor());
        return;
    }
    const QString when = QLocale().toString(assessedAt.toLocalTime(), QLocale::LongFormat);
    if (inv->account.available) {
        const AccountSummary &a = inv->account;
        // -1: the platform's API does not show it.
        const auto count = [](int n) { return n < 0 ? tr("not in the API") : num(n); };
        m_headline->setText(
            tr("<h3>%1 contacts in %2 (%3), read through the %4 API</h3><p>Assessed %5.</p>"
               "<p>Templates: %6 &nbsp;&middot;&nbsp; Campaigns: %7 (%8 in the last 12 months) "
               "&nbsp;&middot;&nbsp; Automations: %9 &nbsp;&middot;&nbsp; Segments: %10 "
               "&nbsp;&middot;&nbsp; Integrations: %11 &nbsp;&middot;&nbsp; Sending domains: %12 "
               "(%13 authenticated)</p>")
                .arg(num(inv->total), a.audience.toHtmlEscaped(), a.account.toHtmlEscaped(),
                     ExportDialects::displayName(inv->dialect).toHtmlEscaped(), when,
                     count(a.templates), count(a.campaigns), count(a.campaignsLast12Months),
                     count(a.automations))
                .arg(count(a.segments), count(a.integrations), count(a.sendingDomains),
                     count(a.sendingDomainsAuthenticated)));
    } else {
        m_headline->setText(tr("<h3>%1 contacts in %2 export</h3><p>Assessed %3.</p>")
                                .arg(num(inv->total), ExportDialects::displayName(inv->dialect).toHtmlEscaped(),
                                     when));
    }
    QString rows;
    QList<QPair<QString, qint64>> bars;
    QList<QColor> colors;
    for (const ContactStatus s : kAllContactStatuses) {
        const qint64 n = inv->count(s);
        if (n == 0 && s != ContactStatus::Subscribed)
            continue;
        rows += QStringLiteral("<tr><td>%1</td><td align=right>&nbsp;&nbsp;%2</td><td align=right>&nbsp;&nbsp;%3</td></tr>")
                    .arg(ContactStatuses::displayName(s).toHtmlEscaped(), num(n), pct(n, inv->total));
        bars.append({ContactStatuses::displayName(s), n});
        colors.append(statusColor(s));
    }
    m_statusChart->setBars(bars, colors);
    m_figures->setText(
        tr("<table cellspacing=2>%1"
           "<tr><td colspan=3><hr></td></tr>"
           "<tr><td>Duplicate addresses</td><td align=right>&nbsp;&nbsp;%2</td><td></td></tr>"
           "<tr><td>Invalid addresses</td><td align=right>&nbsp;&nbsp;%3</td><td></td></tr>"
           "<tr><td>Fields</td><td align=right>&nbsp;&nbsp;%4</td><td>&nbsp;&nbsp;%5 custom</td></tr>"
           "<tr><td>Tags</td><td align=right>&nbsp;&nbsp;%6</td><td></td></tr></table>")
            .arg(rows, num(inv->duplicates), num(inv->invalidEmails), num(inv->fields.size()),
                 num(inv->customFieldCount()), num(inv->tags.size())));
    for (const InventorySource &s : inv->sources) {
        auto *item = new QTreeWidgetItem(m_sources, {s.part, ExportDialects::displayName(s.dialect),
                                                     s.statusSource.isEmpty() ? tr("unknown") : s.statusSource,
                                                     num(s.rows), s.encoding, s.delimiter});
        item->setToolTip(0, s.path);
        item->setTextAlignment(3, Qt::AlignRight | Qt::AlignVCenter);
    }
    for (int c = 1; c < m_sources->columnCount(); ++c)
        m_sources->resizeColumnToContents(c);
}

EngagementPanel::EngagementPanel(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QGridLayout(this);
    m_consent = new QLabel(this);
    m_consent->setObjectName(QStringLiteral("consentFigures"));
    m_consent->setTextFormat(Qt::RichText);
    m_consent->setWordWrap(true);
    m_consent->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    layout->addWidget(m_consent, 0, 0, 2, 1);
    m_ratingChart = new BarChart(tr("Member rating"), this);
    m_ratingChart->setObjectName(QStringLiteral("ratingChart"));
    m_ratingChart->setEmptyText(tr("This export has no member rating."));
    layout->addWidget(m_ratingChart, 0, 1);
    m_lastChangedChart = new BarChart(tr("Last change"), this);
    m_lastChangedChart->setObjectName(QStringLiteral("lastChangedChart"));
    m_lastChangedChart->setEmptyText(tr("This export has no last-change date."));
    layout->addWidget(m_lastChangedChart, 1, 1);
    layout->setColumnStretch(0, 2);
    layout->setColumnStretch(1, 3);
}

void EngagementPanel::setInventory(const Inventory *inv)
{
    if (!inv) {
        m_consent->clear();
        m_ratingChart->setBars({}, QColor());
        m_lastChangedChart->setBars({}, QColor());
        return;
    }
    const ConsentCoverage &c = inv->consent;
    if (c.available) {
        m_consent->setText(
            tr("<h4>Consent evidence</h4><table cellspacing=2>"
               "<tr><td>Opt-in time</td><td align=right>&nbsp;&nbsp;%1</td><td align=right>&nbsp;&nbsp;%2</td></tr>"
               "<tr><td>Opt-in IP</td><td align=right>&nbsp;&nbsp;%3</td><td align=right>&nbsp;&nbsp;%4</td></tr>"
               "<tr><td>Confirmation time</td><td align=right>&nbsp;&nbsp;%5</td><td align=right>&nbsp;&nbsp;%6</td></tr>"
               "<tr><td>Confirmation IP</td><td align=right>&nbsp;&nbsp;%7</td><td align=right>&nbsp;&nbsp;%8</td></tr>"
               "<tr><td colspan=3><hr></td></tr>"
               "<tr><td><b>Subscribers with evidence</b></td><td align=right>&nbsp;&nbsp;<b>%9</b></td>"
               "<td align=right>&nbsp;&nbsp;<b>%10</b></td></tr></table>"
               "<p>Evidence is an opt-in or a confirmation time. Keep the source export: it is your "
               "record of consent.</p>")
                .arg(num(c.optinTime), pct(c.optinTime, inv->total), num(c.optinIp), pct(c.optinIp, inv->total),
                     num(c.confirmTime), pct(c.confirmTime, inv->total), num(c.confirmIp), pct(c.confirmIp, inv->total))
                .arg(num(c.subscribedWithEvidence) + u'/' + num(c.subscribed), pct(c.subscribedWithEvidence, c.subscribed)));
    } else {
        m_consent->setText(tr("<h4>Consent evidence</h4><p>This export has no opt-in or confirmation "
                              "columns, so consent evidence cannot be checked.</p>"));
    }

    const Engagement &e = inv->engagement;
    QList<QPair<QString, qint64>> rating;
    if (e.ratingAvailable) {
        for (int stars = 5; stars >= 1; --stars)
            rating.append({stars == 1 ? tr("1 star") : tr("%1 stars").arg(stars), e.rating[size_t(stars)]});
        rating.append({tr("No rating"), e.rating[0]});
    }
    m_ratingChart->setBars(rating, QColor(0xf9, 0xa8, 0x25));
    QList<QPair<QString, qint64>> changed;
    if (e.lastChangedAvailable) {
        for (int b = 0; b <= Engagement::Unknown; ++b)
            changed.append({Engagement::bucketName(b), e.lastChanged[size_t(b)]});
    }
    m_lastChangedChart->setBars(changed, QColor(0x15, 0x65, 0xc0));
    m_lastChangedChart->setTitle(e.lastChangedAvailable
                                     ? tr("Last change, counted back from %1").arg(QLocale().toString(e.reference, QLocale::ShortFormat))
                                     : tr("Last change"));
}

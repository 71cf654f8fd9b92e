#include "widgets/ganttwidget.h"

#include <QHelpEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

namespace {
constexpr int kMinDayWidth = 7; // pixels per day below which the axis gets unreadable
}

GanttWidget::GanttWidget(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("ganttChart"));
    setMouseTracking(true);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

void GanttWidget::setTimeline(const Timeline &timeline)
{
    GanttStyle style;
    style.font = font();
    style.today = QDate::currentDate();
    m_chart.emplace(timeline, style);
    if (m_selected >= m_chart->rowCount())
        m_selected = -1;
    updateGeometry();
    update();
}

void GanttWidget::setSelectedStage(int row)
{
    m_selected = row;
    update();
}

QSize GanttWidget::minimumSizeHint() const
{
    if (!m_chart || !m_chart->firstDay().isValid())
        return {300, 120};
    const int days = int(m_chart->firstDay().daysTo(m_chart->lastDay())) + 1;
    const int labels = 180;
    return {labels + days * kMinDayWidth, heightForWidth(labels + days * kMinDayWidth)};
}

QSize GanttWidget::sizeHint() const
{
    const QSize min = minimumSizeHint();
    return {qMax(min.width(), 900), heightForWidth(qMax(min.width(), 900))};
}

int GanttWidget::heightForWidth(int width) const
{
    return m_chart ? int(std::ceil(m_chart->sizeFor(width).height())) + 2 : 120;
}

QRectF GanttWidget::chartRect() const
{
    return QRectF(0, 0, width(), m_chart ? m_chart->sizeFor(width()).height() : height());
}

void GanttWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    if (!m_chart || m_chart->rowCount() == 0) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("No timeline yet: generate one from the assessment."));
        return;
    }
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF r = chartRect();
    m_chart->paint(p, r);
    if (m_selected >= 0) { // over the chart, so that weekend shading does not cut the band
        QColor highlight = palette().color(QPalette::Highlight);
        highlight.setAlpha(35);
        p.fillRect(m_chart->rowRect(m_selected, r), highlight);
    }
}

void GanttWidget::mousePressEvent(QMouseEvent *event)
{
    if (!m_chart)
        return;
    const int row = m_chart->stageAt(event->position(), chartRect());
    if (row >= 0) {
        setSelectedStage(row);
        Q_EMIT stageClicked(row);
    }
}

bool GanttWidget::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip && m_chart) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int row = m_chart->stageAt(help->pos(), chartRect());
        if (row < 0) {
            QToolTip::hideText();
            return true;
        }
        const Stage &s = m_chart->timeline().stages.at(row);
        const QLocale locale;
        QString text = QStringLiteral("<b>%1</b><br>").arg(s.title.toHtmlEscaped());
        const QString from = locale.toString(s.start, QLocale::ShortFormat);
        const QString to = locale.toString(s.end, QLocale::ShortFormat);
        if (s.milestone)
            text += tr("Milestone on %1").arg(locale.toString(s.start, QLocale::LongFormat));
        else if (s.durationDays == 1)
            text += tr("%1 to %2 (1 working day)").arg(from, to);
        else
            text += tr("%1 to %2 (%3 working days)").arg(from, to).arg(s.durationDays);
        if (!s.owner.isEmpty())
            text += QStringLiteral("<br>") + tr("Owner: %1").arg(s.owner.toHtmlEscaped());
        if (s.contacts > 0)
            text += QStringLiteral("<br>") + tr("%1 contacts").arg(locale.toString(s.contacts));
        QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

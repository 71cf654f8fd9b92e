#include "widgets/barchart.h"

#include <QLocale>
#include <QPainter>

#include <algorithm>

BarChart::BarChart(const QString &title, QWidget *parent) : QWidget(parent), m_title(title)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void BarChart::setTitle(const QString &title)
{
    m_title = title;
    update();
}

void BarChart::setBars(const QList<QPair<QString, qint64>> &bars, const QColor &color)
{
    setBars(bars, QList<QColor>(bars.size(), color));
}

void BarChart::setBars(const QList<QPair<QString, qint64>> &bars, const QList<QColor> &colors)
{
    m_bars = bars;
    m_colors = colors;
    updateGeometry();
    update();
}

void BarChart::setEmptyText(const QString &text)
{
    m_emptyText = text;
    update();
}

QList<qint64> BarChart::values() const
{
    QList<qint64> v;
    for (const auto &b : m_bars)
        v.append(b.second);
    return v;
}

QStringList BarChart::labels() const
{
    QStringList l;
    for (const auto &b : m_bars)
        l.append(b.first);
    return l;
}

int BarChart::rowHeight() const
{
    return fontMetrics().height() + 8;
}

QSize BarChart::sizeHint() const
{
    const int rows = std::max<qsizetype>(1, m_bars.size());
    return {360, fontMetrics().height() * 2 + 12 + int(rows) * rowHeight()};
}

QSize BarChart::minimumSizeHint() const
{
    return {220, sizeHint().height()};
}

void BarChart::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const QFontMetrics fm = fontMetrics();

    QFont titleFont = font();
    titleFont.setBold(true);
    p.setFont(titleFont);
    p.setPen(pal.color(QPalette::WindowText));
    const int titleHeight = QFontMetrics(titleFont).height() + 6;
    p.drawText(QRect(0, 0, width(), titleHeight), Qt::AlignLeft | Qt::AlignTop, m_title);
    p.setFont(font());

    if (m_bars.isEmpty()) {
        p.setPen(pal.color(QPalette::Disabled, QPalette::WindowText));
        p.drawText(QRect(0, titleHeight, width(), rowHeight()), Qt::AlignLeft | Qt::AlignVCenter, m_emptyText);
        return;
    }

    int labelWidth = 0, valueWidth = 0;
    qint64 max = 0;
    const QLocale locale;
    for (const auto &[label, value] : m_bars) {
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(label) + 4);
        valueWidth = std::max(valueWidth, fm.horizontalAdvance(locale.toString(value)));
        max = std::max(max, value);
    }
    labelWidth = std::min(labelWidth, width() / 2);
    const int barLeft = labelWidth + 10;
    const int barSpace = std::max(10, width() - barLeft - valueWidth - 8);
    const int h = rowHeight();
    int y = titleHeight;
    for (qsizetype i = 0; i < m_bars.size(); ++i) {
        const auto &[label, value] = m_bars[i];
        p.setPen(pal.color(QPalette::WindowText));
        p.drawText(QRect(0, y, labelWidth, h), Qt::AlignRight | Qt::AlignVCenter,
                   fm.elidedText(label, Qt::ElideRight, labelWidth));
        const int len = max > 0 ? int(double(barSpace) * double(value) / double(max)) : 0;
        const QRect bar(barLeft, y + 3, std::max(len, value > 0 ? 2 : 0), h - 6);
        p.fillRect(QRect(barLeft, y + 3, barSpace, h - 6), pal.color(QPalette::AlternateBase));
        p.fillRect(bar, m_colors.value(i, pal.color(QPalette::Highlight)));
        p.drawText(QRect(barLeft + bar.width() + 4, y, valueWidth + 4, h), Qt::AlignLeft | Qt::AlignVCenter,
                   locale.toString(value));
        y += h;
    }
}

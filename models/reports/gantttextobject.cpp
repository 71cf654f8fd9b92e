#include "reports/gantttextobject.h"

#include <QPainter>

GanttTextObject::GanttTextObject(const GanttChart &chart, qreal unitScale, qreal width,
                                 QObject *parent)
    : QObject(parent)
    , m_chart(chart)
    , m_scale(unitScale)
    , m_width(width)
{}

QTextCharFormat GanttTextObject::format(int first, int count)
{
    QTextCharFormat f;
    f.setObjectType(Type);
    f.setProperty(FirstRow, first);
    f.setProperty(RowCount, count);
    return f;
}

QSizeF GanttTextObject::intrinsicSize(QTextDocument *, int, const QTextFormat &format)
{
    const QSizeF size
        = m_chart.sizeFor(m_width, format.intProperty(FirstRow), format.intProperty(RowCount));
    return size * m_scale;
}

void GanttTextObject::drawObject(QPainter *painter, const QRectF &rect, QTextDocument *, int,
                                 const QTextFormat &format)
{
    painter->save();
    painter->translate(rect.topLeft());
    painter->scale(m_scale, m_scale);
    m_chart.paint(*painter, QRectF(QPointF(0, 0), rect.size() / m_scale),
                  format.intProperty(FirstRow), format.intProperty(RowCount));
    painter->restore();
}

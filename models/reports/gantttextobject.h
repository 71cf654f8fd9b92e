#pragma once

#include "plan/ganttchart.h"

#include <QObject>
#include <QTextCharFormat>
#include <QTextObjectInterface>

/**
 * Puts slices of a GanttChart into a QTextDocument as inline objects, so that the chart flows
 * and breaks across pages with the text around it and is painted as vectors, with real text,
 * onto whatever device the document is drawn on.
 */
class GanttTextObject : public QObject, public QTextObjectInterface
{
    Q_OBJECT
    Q_INTERFACES(QTextObjectInterface)

public:
    enum { Type = QTextFormat::UserObject + 1 };

    /// unitScale: device pixels per chart unit (1/96 inch); width: the chart's width in units.
    GanttTextObject(const GanttChart &chart, qreal unitScale, qreal width,
                    QObject *parent = nullptr);

    /// The character format of an object showing rows [first, first + count).
    static QTextCharFormat format(int first, int count);

    QSizeF intrinsicSize(QTextDocument *doc, int posInDocument, const QTextFormat &format) override;
    void drawObject(QPainter *painter, const QRectF &rect, QTextDocument *doc, int posInDocument,
                    const QTextFormat &format) override;

private:
    enum Property { FirstRow = QTextFormat::UserProperty + 1, RowCount };

    const GanttChart &m_chart;
    qreal m_scale;
    qreal m_width;
};

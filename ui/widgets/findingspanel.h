#pragma once

#include <QWidget>

class FindingsModel;
class QLabel;
class QLineEdit;
class QTableView;

/** A list of duplicates or invalid addresses with a filter box. */
class FindingsPanel : public QWidget
{
    Q_OBJECT

public:
    FindingsPanel(FindingsModel *model, const QString &objectPrefix, const QString &explanation,
                  QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }

private:
    FindingsModel *m_model;
    QLineEdit *m_filter;
    QTableView *m_view;
    QLabel *m_count;
};

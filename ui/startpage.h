#pragma once

#include <QWidget>

class QListWidget;

/** What the window shows with no project open: new, open, the demo, and recent projects. */
class StartPage : public QWidget
{
    Q_OBJECT

public:
    explicit StartPage(QWidget *parent = nullptr);
    void refreshRecent();

Q_SIGNALS:
    void newProjectRequested();
    void openProjectRequested();
    void demoRequested();
    void recentRequested(const QString &path);

private:
    QListWidget *m_recent;
};

Attribute VB_Name = "GxNotes"
Option Explicit
' Cell notes (legacy comments) that the validate button writes on failing cells.
'
' Python (gxexcel.excel.notes) calls GxSetNotes once per click, whatever the
' number of findings: with xlwings' remote engine through one "runMacro" action
' (xlwings' runMacro passes the workbook first), on a desktop engine through
' GxSetNotesIn with the workbook's name.
'
' prefix marks our notes: every note in the workbook whose text starts with it
' is deleted first, and every note added starts with it. Notes that do not start
' with it (the clerk's own) are never touched; a cell that already has one gets
' no note from us (the message stays on the results sheet).
'
' payload: one note per line, lines separated by vbLf (Chr 10); on a line the
' fields are separated by vbTab (Chr 9): sheet name, cell address (A1), then one
' field per line of the note text. An empty payload only deletes our notes.
'
' This module is ASCII on purpose (see GxRibbon): the text comes from Python.

Public Function GxSetNotes(wb As Workbook, ByVal prefix As String, ByVal payload As String) As Long
    ' Returns the number of notes added.
    If prefix = "" Then Exit Function ' without a marker nothing could be told apart
    GxDeleteNotes wb, prefix
    If payload = "" Then Exit Function
    Dim records() As String, fields() As String, i As Long, j As Long
    Dim noteText As String, cell As Range, added As Long
    records = Split(payload, vbLf)
    For i = LBound(records) To UBound(records)
        fields = Split(records(i), vbTab)
        If UBound(fields) >= 2 Then
            noteText = prefix
            For j = 2 To UBound(fields)
                noteText = noteText & vbLf & fields(j)
            Next j
            Set cell = Nothing
            On Error Resume Next
            Set cell = wb.Worksheets(fields(0)).Range(fields(1))
            If Not cell Is Nothing Then
                If cell.Comment Is Nothing Then
                    cell.AddComment noteText
                    If Err.Number = 0 Then added = added + 1
                End If
            End If
            Err.Clear
            On Error GoTo 0
        End If
    Next i
    GxSetNotes = added
End Function

Public Function GxSetNotesIn(ByVal bookName As String, ByVal prefix As String, ByVal payload As String) As Long
    ' The same, for a caller that can pass only text (desktop engines).
    GxSetNotesIn = GxSetNotes(Workbooks(bookName), prefix, payload)
End Function

Private Sub GxDeleteNotes(wb As Workbook, ByVal prefix As String)
    Dim ws As Worksheet, i As Long
    For Each ws In wb.Worksheets
        For i = ws.Comments.Count To 1 Step -1
            If Left(ws.Comments(i).Text, Len(prefix)) = prefix Then
                On Error Resume Next
                ws.Comments(i).Delete
                On Error GoTo 0
            End If
        Next i
    Next ws
End Sub

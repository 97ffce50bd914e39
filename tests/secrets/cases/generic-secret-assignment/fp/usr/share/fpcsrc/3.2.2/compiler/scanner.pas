procedure Next;
begin
  curtoken:=tkDIVEQ;
  FToken:TToken;
  CURLOPT_PASSWORD:=CURLOPTTYPE_OBJECTPOINT+4;
end;
